package dev.meterflow.metering;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.metering.replay.ReplayPlan;
import dev.meterflow.metering.replay.UnpricedReplay;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.AttemptOutcome;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentAttempt;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.Price;
import dev.meterflow.schemas.PriceCategory;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.testdata.AccountSettingsBuilder;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metering topology on a real KRaft broker, with exactly-once transactions, read back by
 * {@code read_committed} consumers as the data team and the recharge worker would.
 */
class MeteringTopologyIT {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    static Path stateDir;

    private static EmbeddedKafka kafka;
    private static MeteringService metering;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void startBrokerAndTopology() {
        kafka = EmbeddedKafka.start(null);
        kafka.createTopics(Topics.ALL.stream()
                .map(topic -> new EmbeddedKafka.TopicSpec(topic.name(), 2, topic.compacted())).toList());
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());

        // reference data first: the global rate-card store is complete before the first usage event
        send(Topics.RATE_CARDS, "standard", standardRateCard());
        send(Topics.ACCOUNT_SETTINGS, "a-plain", settings("a-plain", false));
        send(Topics.ACCOUNT_SETTINGS, "a-auto", settings("a-auto", true));
        producer.flush();

        Properties props = new Properties();
        props.setProperty("bootstrap.servers", kafka.bootstrapServers());
        props.setProperty("application.id", "metering-it");
        props.setProperty("state.dir", stateDir.toString());
        metering = new MeteringService(MeteringConfig.from(props)).start();
        // a new account's settings open its balance: once both are visible, usage finds its settings
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(values(Topics.ACCOUNT_BALANCES, "a-plain")).isNotEmpty();
            assertThat(values(Topics.ACCOUNT_BALANCES, "a-auto")).isNotEmpty();
        });
    }

    @AfterAll
    static void stop() {
        if (metering != null) {
            metering.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldDebitEachEventOnceAndSendUndecodableBytesToTheDeadLetterQueueWithoutStoppingThePartition() {
        byte[] garbage = "{\"eventId\":\"not avro\"}".getBytes(StandardCharsets.UTF_8);
        send(Topics.USAGE_EVENTS, "a-plain", usage("e-1", "a-plain", 61));
        producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), null, T0.toEpochMilli(),
                "a-plain".getBytes(StandardCharsets.UTF_8), garbage));
        send(Topics.USAGE_EVENTS, "a-plain", usage("e-2", "a-plain", 60));
        send(Topics.USAGE_EVENTS, "a-plain", usage("e-1", "a-plain", 61));
        producer.flush();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(usageEntries("a-plain"))
                .extracting(LedgerEntry::getEntryId, LedgerEntry::getAmountMicros, LedgerEntry::getBalanceAfterMicros)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("usage:e-1", -50_000L, -50_000L),
                        org.assertj.core.groups.Tuple.tuple("usage:e-2", -25_000L, -75_000L)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ConsumerRecord<byte[], byte[]>> dlq = readAll(Topics.METERING_DLQ.name());
            assertThat(dlq).anySatisfy(record -> {
                assertThat(record.value()).isEqualTo(garbage);
                assertThat(Arrays.stream(record.headers().toArray()).map(Header::key))
                        .anyMatch(key -> key.startsWith("__streams.errors."));
            });
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(latest(Topics.ACCOUNT_BALANCES, "a-plain").getBalanceMicros()).isEqualTo(-75_000L);
            assertThat(values(Topics.ACCOUNT_STATUS, "a-plain")).extracting(AccountStatusChanged::getStatus)
                    .containsExactly(AccountStatus.PAUSED);
        });
    }

    @Test
    void shouldAskForOneRechargeAndCreditItOnceWhenTheWorkerReportsSuccess() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(values(Topics.RECHARGE_REQUESTS, "a-auto")).hasSize(1));
        RechargeRequest request = values(Topics.RECHARGE_REQUESTS, "a-auto").get(0);
        assertThat(request.getAmountCents()).isEqualTo(5_000L);
        assertThat(request.getPaymentMethods()).extracting(PaymentMethodRef::getPaymentMethodId)
                .containsExactly("pm_card_visa");

        PaymentResult success = succeeded(request);
        send(Topics.PAYMENT_RESULTS, "a-auto", success);
        send(Topics.PAYMENT_RESULTS, "a-auto", success);
        producer.flush();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            AccountBalance balance = latest(Topics.ACCOUNT_BALANCES, "a-auto");
            assertThat(balance.getBalanceMicros()).isEqualTo(50_000_000L);
            assertThat(balance.getPendingRechargeId()).isNull();
        });
        assertThat(values(Topics.LEDGER_ENTRIES, "a-auto"))
                .extracting(LedgerEntry::getKind, LedgerEntry::getAmountMicros)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(LedgerEntryKind.RECHARGE, 50_000_000L));
        assertThat(values(Topics.RECHARGE_REQUESTS, "a-auto")).hasSize(1);
    }

    @Test
    void shouldReplayParkedUsageOnceItsSettingsArrive() {
        send(Topics.USAGE_EVENTS, "a-late", usage("e-late", "a-late", 120));
        producer.flush();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(readAll(Topics.USAGE_UNPRICED.name()))
                .anySatisfy(record -> assertThat(new String(record.headers().lastHeader(Topics.REASON_HEADER).value(),
                        StandardCharsets.UTF_8)).isEqualTo("NO_SETTINGS")));

        send(Topics.ACCOUNT_SETTINGS, "a-late", settings("a-late", false));
        producer.flush();
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(values(Topics.ACCOUNT_BALANCES, "a-late")).isNotEmpty());

        ReplayPlan first = UnpricedReplay.run(kafka.bootstrapServers(), false);
        ReplayPlan second = UnpricedReplay.run(kafka.bootstrapServers(), false);
        send(Topics.USAGE_EVENTS, "a-late", usage("e-marker", "a-late", 60));
        producer.flush();

        assertThat(first.toReplay()).extracting(parked -> parked.usage().eventId()).contains("e-late");
        assertThat(second.toReplay()).extracting(parked -> parked.usage().eventId()).contains("e-late");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(usageEntries("a-late"))
                .extracting(LedgerEntry::getEntryId).containsExactly("usage:e-late", "usage:e-marker"));
    }

    private static List<LedgerEntry> usageEntries(String account) {
        return values(Topics.LEDGER_ENTRIES, account).stream()
                .filter(entry -> entry.getKind() == LedgerEntryKind.USAGE).toList();
    }

    private static <V> V latest(Topic<String, V> topic, String key) {
        List<V> all = values(topic, key);
        assertThat(all).as("records for %s on %s", key, topic.name()).isNotEmpty();
        return all.get(all.size() - 1);
    }

    private static <V> List<V> values(Topic<String, V> topic, String key) {
        return readAll(topic.name()).stream()
                .filter(record -> key.equals(new String(record.key(), StandardCharsets.UTF_8)))
                .map(record -> topic.valueSerde().deserializer().deserialize(topic.name(), record.value()))
                .collect(Collectors.toList());
    }

    /** Everything committed on a topic so far, in partition order (one key lives in one partition). */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return TopicReader.readCommitted(kafka.bootstrapServers(), topic);
    }

    private static <V> void send(Topic<String, V> topic, String key, V value) {
        producer.send(new ProducerRecord<>(topic.name(), null, T0.toEpochMilli(),
                key.getBytes(StandardCharsets.UTF_8), topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    private static RateCard standardRateCard() {
        return RateCard.newBuilder().setRatePlanId("standard").setCurrency("USD").setUpdatedAt(T0)
                .setPrices(Map.of("call.minutes.local", Price.newBuilder().setUnitPriceMicros(25_000).setUnitSize(60)
                        .setCategory(PriceCategory.CALL_MINUTES).setTaxable(true).build()))
                .build();
    }

    private static AccountSettings settings(String account, boolean autoRecharge) {
        AccountSettingsBuilder settings = settingsFor(account).onRatePlan("standard").withoutServiceAddress()
                .ofCustomer("cus_" + account).billingEmails("billing@" + account + ".example").at(T0);
        return (autoRecharge ? settings.topUpTo(dollars(50)).whenBelow(dollars(15)) : settings.whenBelow(0)).build();
    }

    private static UsageEvent usage(String eventId, String account, long seconds) {
        return aUsageEvent().withEventId(eventId).forAccount(account).seconds(seconds).at(T0).build();
    }

    private static PaymentResult succeeded(RechargeRequest request) {
        return PaymentResult.newBuilder()
                .setRequestId(request.getRequestId())
                .setAccountId(request.getAccountId())
                .setReason(RechargeReason.AUTO_RECHARGE)
                .setStatus(PaymentStatus.SUCCEEDED)
                .setAmountCents(request.getAmountCents())
                .setPaymentMethodId("pm_card_visa")
                .setGatewayChargeId("pi_it_1")
                .setAttempts(List.of(PaymentAttempt.newBuilder().setPaymentMethodId("pm_card_visa")
                        .setOutcome(AttemptOutcome.SUCCEEDED).setGatewayReference("pi_it_1").setAt(T0).build()))
                .setCompletedAt(T0)
                .build();
    }
}
