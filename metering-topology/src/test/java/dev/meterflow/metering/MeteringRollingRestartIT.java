package dev.meterflow.metering;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.Price;
import dev.meterflow.schemas.PriceCategory;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: three metering instances, static members with a standby replica each, restarted one by one (a clean
 * stop, then a start on the same state directory) while usage flows: every event is debited exactly once, and
 * each restart's output pause and restore work are measured (and printed, for docs/RELIABILITY.md).
 */
class MeteringRollingRestartIT {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final int INSTANCES = 3;
    private static final int PARTITIONS = 6;
    private static final int ACCOUNTS = 30;
    private static final Duration SEND_EVERY = Duration.ofMillis(20);

    @TempDir
    Path stateDirs;

    private EmbeddedKafka kafka;
    private KafkaProducer<byte[], byte[]> producer;
    private final List<MeteringService> instances = new ArrayList<>();
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    /** When ledger entries became visible to a read_committed consumer: partition and wall-clock nanos. */
    private final ConcurrentLinkedQueue<long[]> outputTimes = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void startBroker() {
        kafka = EmbeddedKafka.start(null);
        kafka.createTopics(Topics.ALL.stream()
                .map(topic -> new EmbeddedKafka.TopicSpec(topic.name(), PARTITIONS, topic.compacted())).toList());
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stopAll() {
        sending.set(false);
        instances.forEach(MeteringService::close);
        producer.close();
        kafka.close();
    }

    @Test
    void shouldDebitEveryEventOnceThroughARollingRestartAndMeasureThePausesAndRestores() throws Exception {
        send(Topics.RATE_CARDS, "standard", rateCard());
        IntStream.range(0, ACCOUNTS).forEach(n -> send(Topics.ACCOUNT_SETTINGS, account(n), settings(account(n))));
        producer.flush();
        for (int i = 0; i < INSTANCES; i++) {
            instances.add(new MeteringService(config(i)).start());
        }
        await().atMost(Duration.ofMinutes(3)).until(() -> instances.stream()
                .allMatch(instance -> instance.notReadyReason().isEmpty()));
        await().atMost(Duration.ofMinutes(2)).until(() -> balancesOpened() == ACCOUNTS);
        Thread watcher = new Thread(this::watchOutputs, "ledger-watcher");
        watcher.start();
        Thread sender = new Thread(this::sendUsage, "usage-sender");
        sender.start();
        Thread.sleep(5_000);

        List<String> figures = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            long restoredBefore = restoredByOthers(i);
            long stopAt = System.nanoTime();
            instances.get(i).close();
            MeteringService restarted = new MeteringService(config(i)).start();
            instances.set(i, restarted);
            await().atMost(Duration.ofMinutes(3)).until(() -> instances.stream()
                    .allMatch(instance -> instance.notReadyReason().isEmpty()));
            long readyAt = System.nanoTime();
            Thread.sleep(5_000);
            figures.add(String.format("restart metering-%d: ready after %d ms, longest output pause %d ms, "
                            + "records restored by it %d, by the others meanwhile %d", i, (readyAt - stopAt) / 1_000_000,
                    longestGap(stopAt, System.nanoTime()) / 1_000_000, restarted.restoredRecords(),
                    restoredByOthers(i) - restoredBefore));
            assertThat(restarted.restoredRecords()).as("records restored after a clean stop").isZero();
            // before issue 14 the close left the group: the others took the tasks over (restoring hundreds of
            // records each time) and handed them back
            assertThat(restoredByOthers(i) - restoredBefore).as("records restored by the others").isZero();
        }
        sending.set(false);
        sender.join();

        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> assertThat(debitedEvents().keySet())
                .containsAll(sent));
        Map<String, Long> debited = debitedEvents();
        figures.forEach(line -> System.out.println("rolling restart figures: " + line));
        System.out.println("rolling restart figures: events sent " + sent.size() + ", debited " + debited.size());
        assertThat(debited.keySet()).as("nothing lost").containsExactlyInAnyOrderElementsOf(sent);
        assertThat(debited.values()).as("nothing doubled").containsOnly(1L);
    }

    private long restoredByOthers(int restarted) {
        return IntStream.range(0, INSTANCES).filter(i -> i != restarted)
                .mapToLong(i -> instances.get(i).restoredRecords()).sum();
    }

    private MeteringConfig config(int instance) {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", kafka.bootstrapServers());
        props.setProperty("application.id", "metering-rolling-it");
        props.setProperty("state.dir", stateDirs.resolve("metering-" + instance).toString());
        props.setProperty("num.standby.replicas", "1");
        props.setProperty("group.instance.id", "metering-" + instance);
        return MeteringConfig.from(props);
    }

    private void sendUsage() {
        int n = 0;
        while (sending.get()) {
            String account = account(n % ACCOUNTS);
            String eventId = "e-" + n++;
            producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), null, System.currentTimeMillis(),
                    account.getBytes(StandardCharsets.UTF_8), Topics.USAGE_EVENTS.valueSerde().serializer()
                    .serialize(Topics.USAGE_EVENTS.name(), usage(eventId, account))), (metadata, error) -> {
                        if (error == null) {
                            sent.add(eventId);
                        }
                    });
            try {
                Thread.sleep(SEND_EVERY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        producer.flush();
    }

    private void watchOutputs() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "ledger-watcher");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.LEDGER_ENTRIES.name()));
            while (sending.get()) {
                long now = System.nanoTime();
                consumer.poll(Duration.ofMillis(50)).partitions()
                        .forEach(partition -> outputTimes.add(new long[] {partition.partition(), now}));
            }
        }
    }

    /**
     * The longest time any ledger partition went without new entries between {@code from} and {@code to} (nanos):
     * usage reaches every partition several times a second, so a gap is a pause of the task that writes it.
     */
    private long longestGap(long from, long to) {
        return IntStream.range(0, PARTITIONS).mapToLong(partition -> {
            List<Long> times = new ArrayList<>(outputTimes.stream()
                    .filter(output -> output[0] == partition && output[1] >= from && output[1] <= to)
                    .map(output -> output[1]).sorted().toList());
            times.add(0, from);
            times.add(to);
            return IntStream.range(1, times.size()).mapToLong(i -> times.get(i) - times.get(i - 1)).max().orElse(0);
        }).max().orElse(0);
    }

    private Map<String, Long> debitedEvents() {
        return TopicReader.readCommitted(kafka.bootstrapServers(), Topics.LEDGER_ENTRIES.name()).stream()
                .map(record -> Topics.LEDGER_ENTRIES.valueSerde().deserializer()
                        .deserialize(record.topic(), record.value()))
                .filter(entry -> entry.getKind() == LedgerEntryKind.USAGE)
                .map(LedgerEntry::getEntryId)
                .map(entryId -> entryId.substring("usage:".length()))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private long balancesOpened() {
        List<ConsumerRecord<byte[], byte[]>> balances =
                TopicReader.readCommitted(kafka.bootstrapServers(), Topics.ACCOUNT_BALANCES.name());
        return balances.stream().map(record -> new String(record.key(), StandardCharsets.UTF_8)).distinct().count();
    }

    private static String account(int n) {
        return "a-" + n;
    }

    private <V> void send(Topic<String, V> topic, String key, V value) {
        producer.send(new ProducerRecord<>(topic.name(), null, T0.toEpochMilli(),
                key.getBytes(StandardCharsets.UTF_8), topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    private static RateCard rateCard() {
        return RateCard.newBuilder().setRatePlanId("standard").setCurrency("USD").setUpdatedAt(T0)
                .setPrices(Map.of("call.minutes.local", Price.newBuilder().setUnitPriceMicros(1).setUnitSize(60)
                        .setCategory(PriceCategory.CALL_MINUTES).setTaxable(true).build()))
                .build();
    }

    private static AccountSettings settings(String account) {
        return settingsFor(account).onRatePlan("standard").whenBelow(0).withoutServiceAddress()
                .ofCustomer("cus_" + account).billingEmails("billing@" + account + ".example").at(T0).build();
    }

    private static UsageEvent usage(String eventId, String account) {
        return aUsageEvent().withEventId(eventId).forAccount(account).minutes(1).at(T0).build();
    }
}
