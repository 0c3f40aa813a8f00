package dev.meterflow.metering;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.metering.topology.StoreNames;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.Price;
import dev.meterflow.schemas.PriceCategory;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, §2: the dedup store's changelog holds one record per task per commit, and a store restored from those
 * records alone still recognises every event debited. An instance debits the first half of the usage and stops;
 * its state directory is wiped; a new instance restores every store from the changelogs while the whole input is
 * sent again with the second half: every event is debited exactly once.
 */
class DedupRestoreIT {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final String APP = "dedup-restore-it";
    private static final int ACCOUNTS = 6;
    private static final int EVENTS_PER_ACCOUNT = 40;
    private static final long PRICE_MICROS = 25_000;

    @TempDir
    Path stateDir;

    private EmbeddedKafka kafka;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeEach
    void startBroker() {
        kafka = EmbeddedKafka.start(null);
        kafka.createTopics(Topics.ALL.stream()
                .map(topic -> new EmbeddedKafka.TopicSpec(topic.name(), 2, topic.compacted())).toList());
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stopBroker() {
        producer.close();
        kafka.close();
    }

    @Test
    void shouldDebitEveryEventOnceWhenTheStateDirectoryIsLostMidStreamAndTheInputReplayed() {
        send(Topics.RATE_CARDS, "standard", rateCard());
        IntStream.range(0, ACCOUNTS).forEach(n -> send(Topics.ACCOUNT_SETTINGS, account(n),
                settingsFor(account(n)).onRatePlan("standard").whenBelow(0).withoutServiceAddress()
                        .ofCustomer("cus_" + account(n)).billingEmails("billing@a" + n + ".example").at(T0).build()));
        producer.flush();
        int half = EVENTS_PER_ACCOUNT / 2;
        try (MeteringService first = new MeteringService(config()).start()) {
            // settings open each balance; usage sent before them would be parked
            await().atMost(Duration.ofSeconds(120)).until(() -> latestBalances().size() == ACCOUNTS);
            sendUsage(0, half);
            await().atMost(Duration.ofSeconds(120)).until(() -> ledger().size() == ACCOUNTS * half);
        }
        int dedupRecordsBefore = dedupChangelog();
        assertThat(dedupRecordsBefore).as("one dedup changelog record per task per commit, not one per event")
                .isLessThan(ACCOUNTS * half);

        wipe(stateDir);
        try (MeteringService second = new MeteringService(config()).start()) {
            sendUsage(0, EVENTS_PER_ACCOUNT);
            await().atMost(Duration.ofSeconds(120)).until(() -> duplicates(second) >= ACCOUNTS * half);
            await().atMost(Duration.ofSeconds(120)).until(() -> ledger().size() >= ACCOUNTS * EVENTS_PER_ACCOUNT);
            assertThat(second.restoredRecords()).as("the new instance restored the stores").isPositive();
        }

        List<LedgerEntry> ledger = ledger();
        assertThat(ledger).extracting(LedgerEntry::getEntryId).doesNotHaveDuplicates()
                .hasSize(ACCOUNTS * EVENTS_PER_ACCOUNT);
        assertThat(latestBalances()).hasSize(ACCOUNTS).allSatisfy((account, balance) ->
                assertThat(balance).as(account).isEqualTo(-EVENTS_PER_ACCOUNT * PRICE_MICROS));
    }

    private MeteringConfig config() {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", kafka.bootstrapServers());
        props.setProperty("application.id", APP);
        props.setProperty("state.dir", stateDir.toString());
        props.setProperty("commit.interval.ms", "100");
        return MeteringConfig.from(props);
    }

    private void sendUsage(int from, int to) {
        for (int e = from; e < to; e++) {
            for (int n = 0; n < ACCOUNTS; n++) {
                send(Topics.USAGE_EVENTS, account(n), aUsageEvent().withEventId(account(n) + "-e-" + e)
                        .forAccount(account(n)).minutes(1).at(T0.plusSeconds(e)).build());
            }
        }
        producer.flush();
    }

    private Map<String, Long> latestBalances() {
        return TopicReader.readCommitted(kafka.bootstrapServers(), Topics.ACCOUNT_BALANCES.name()).stream()
                .map(record -> Topics.ACCOUNT_BALANCES.valueSerde().deserializer().deserialize(record.topic(),
                        record.value()))
                .collect(Collectors.toMap(AccountBalance::getAccountId, AccountBalance::getBalanceMicros,
                        (earlier, later) -> later));
    }

    private List<LedgerEntry> ledger() {
        return TopicReader.readCommitted(kafka.bootstrapServers(), Topics.LEDGER_ENTRIES.name()).stream()
                .map(record -> Topics.LEDGER_ENTRIES.valueSerde().deserializer().deserialize(record.topic(),
                        record.value()))
                .toList();
    }

    private int dedupChangelog() {
        return TopicReader.readCommitted(kafka.bootstrapServers(), APP + "-" + StoreNames.DEDUP + "-changelog")
                .size();
    }

    /** Duplicates the instance's stream threads recognised, by its own counter. */
    private static double duplicates(MeteringService metering) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : metering.metrics().entrySet()) {
            if (metric.getKey().name().equals("usage-duplicate-total")) {
                total += ((Number) metric.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }

    private static void wipe(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).filter(path -> !path.equals(directory)).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                .setPrices(Map.of("call.minutes.local", Price.newBuilder().setUnitPriceMicros(PRICE_MICROS)
                        .setUnitSize(60).setCategory(PriceCategory.CALL_MINUTES).setTaxable(true).build()))
                .build();
    }
}
