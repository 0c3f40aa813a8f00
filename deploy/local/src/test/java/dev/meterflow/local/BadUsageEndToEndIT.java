package dev.meterflow.local;

import static dev.meterflow.local.LiveRecords.settingsFor;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTE_PRICE;
import static dev.meterflow.local.LiveRecords.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.metering.replay.ReplayPlan;
import dev.meterflow.metering.replay.UnpricedReplay;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input on a real broker is never dropped silently and never stops a partition (DESIGN.md decision 5):
 * undecodable or unprocessable usage lands in {@code metering-dlq} with Kafka Streams' error headers, usage that
 * cannot be priced yet is parked on {@code usage-unpriced} and debited exactly once after a replay.
 */
class BadUsageEndToEndIT {

    /** Kafka Streams' dead letter queue headers (KIP-1034). */
    private static final String DLQ_EXCEPTION = "__streams.errors.exception";
    private static final String DLQ_MESSAGE = "__streams.errors.message";
    private static final String DLQ_TOPIC = "__streams.errors.topic";
    private static final String DLQ_PARTITION = "__streams.errors.partition";
    private static final String DLQ_OFFSET = "__streams.errors.offset";

    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final RunningPipeline pipeline = RunningPipeline.meteringOnly("meterflow-e2e-bad-usage");
    private static final EndToEndCluster cluster = pipeline.cluster();

    @Test
    void shouldSendPoisonRecordsToTheDeadLetterQueueAndKeepDebitingTheirPartition() {
        // given an account whose settings are in place
        String account = "acct-e2e-poison";
        openAccount(account);
        UsageEvent valid = call("poison-template", account, 2);
        byte[] validBytes = Topics.USAGE_EVENTS.valueSerde().serializer().serialize(Topics.USAGE_EVENTS.name(), valid);
        byte[] randomBytes = randomBytes();
        byte[] truncated = Arrays.copyOf(validBytes, validBytes.length / 2);
        byte[] anotherRecordType = Topics.ACCOUNT_SETTINGS.valueSerde().serializer()
                .serialize(Topics.ACCOUNT_SETTINGS.name(), settingsFor(account).autoRechargeOff().build());

        // when poison arrives on the account's partition, then a good event
        RecordMetadata random = cluster.publishRaw(Topics.USAGE_EVENTS.name(), account, randomBytes);
        RecordMetadata cut = cluster.publishRaw(Topics.USAGE_EVENTS.name(), account, truncated);
        RecordMetadata tombstone = cluster.publishRaw(Topics.USAGE_EVENTS.name(), account, null);
        RecordMetadata wrongType = cluster.publishRaw(Topics.USAGE_EVENTS.name(), account, anotherRecordType);
        RecordMetadata good = cluster.publish(Topics.USAGE_EVENTS, account, call("poison-after", account, 2));
        assertThat(List.of(cut, tombstone, wrongType, good)).allSatisfy(metadata ->
                assertThat(metadata.partition()).isEqualTo(random.partition()));

        // then the good event is debited, once, and nothing else is
        await().atMost(WAIT).untilAsserted(() -> assertThat(usageEntries(account))
                .extracting(LedgerEntry::getEntryId).containsExactly("usage:poison-after"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                cluster.latest(Topics.ACCOUNT_BALANCES, account).orElseThrow().getBalanceMicros())
                .isEqualTo(-2 * LOCAL_MINUTE_PRICE));

        // and each poison record is in the dead letter queue as received, with the error in its headers
        Map<Long, ConsumerRecord<byte[], byte[]>> deadLetters = deadLettersFrom(random.partition()).stream()
                .collect(Collectors.toMap(record -> Long.parseLong(EndToEndCluster.header(record, DLQ_OFFSET)),
                        Function.identity()));
        assertThat(deadLetters).containsOnlyKeys(random.offset(), cut.offset(), tombstone.offset(), wrongType.offset());
        assertDeadLetter(deadLetters.get(random.offset()), account, randomBytes, "SerializationException",
                "not Avro single-object encoded");
        assertDeadLetter(deadLetters.get(cut.offset()), account, truncated, "SerializationException",
                "Decoding datum failed");
        assertDeadLetter(deadLetters.get(tombstone.offset()), account, null, "IllegalArgumentException",
                "cannot bill a record with value null");
        assertDeadLetter(deadLetters.get(wrongType.offset()), account, anotherRecordType, "SerializationException",
                "unknown writer schema fingerprint");
        assertThat(cluster.values(Topics.USAGE_UNPRICED, account)).isEmpty();
    }

    @Test
    void shouldParkUsageOfAnAccountWithoutSettingsAndDebitItOnceAfterReplays() {
        // given usage of an account the topology has no settings for yet: it is parked
        String account = "acct-e2e-late";
        cluster.publish(Topics.USAGE_EVENTS, account, call("late-1", account, 1));
        cluster.publish(Topics.USAGE_EVENTS, account, call("late-2", account, 3));
        await().atMost(WAIT).untilAsserted(() -> assertThat(parked(account))
                .extracting(record -> EndToEndCluster.header(record, Topics.REASON_HEADER))
                .containsExactly("NO_SETTINGS", "NO_SETTINGS"));
        assertThat(usageEntries(account)).isEmpty();

        // when its settings arrive and the replay runs, twice
        openAccount(account);
        ReplayPlan first = UnpricedReplay.run(cluster.bootstrapServers(), false);
        ReplayPlan second = UnpricedReplay.run(cluster.bootstrapServers(), false);
        // a marker behind both replays on the account's partition: once it is debited, both were processed
        cluster.publish(Topics.USAGE_EVENTS, account, call("late-marker", account, 1));

        // then every parked event is debited exactly once
        assertThat(first.toReplay()).extracting(parkedEvent -> parkedEvent.usage().eventId())
                .containsExactlyInAnyOrder("late-1", "late-2");
        assertThat(second.toReplay()).extracting(parkedEvent -> parkedEvent.usage().eventId())
                .containsExactlyInAnyOrder("late-1", "late-2");
        await().atMost(WAIT).untilAsserted(() -> assertThat(usageEntries(account))
                .extracting(LedgerEntry::getEntryId)
                .containsExactly("usage:late-1", "usage:late-2", "usage:late-marker"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                cluster.latest(Topics.ACCOUNT_BALANCES, account).orElseThrow().getBalanceMicros())
                .isEqualTo(-5 * LOCAL_MINUTE_PRICE));
        assertThat(cluster.records(Topics.USAGE_EVENTS.name(), IsolationLevel.READ_COMMITTED))
                .filteredOn(record -> account.equals(EndToEndCluster.keyOf(record)))
                .filteredOn(record -> EndToEndCluster.header(record, UnpricedReplay.REPLAYED_FROM_HEADER) != null)
                .as("each replay re-published both parked events")
                .hasSize(4);
    }

    private static void openAccount(String account) {
        cluster.publish(Topics.ACCOUNT_SETTINGS, account, settingsFor(account).autoRechargeOff().build());
        // a new account's settings open its balance: once visible, its usage finds the settings
        await().atMost(WAIT).until(() -> cluster.latest(Topics.ACCOUNT_BALANCES, account).isPresent());
    }

    private static UsageEvent call(String eventId, String account, long minutes) {
        return aUsageEvent().withEventId(eventId).forAccount(account).minutes(minutes).build();
    }

    private static List<LedgerEntry> usageEntries(String account) {
        return cluster.values(Topics.LEDGER_ENTRIES, account).stream()
                .filter(entry -> entry.getKind() == LedgerEntryKind.USAGE).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> parked(String account) {
        return cluster.records(Topics.USAGE_UNPRICED.name(), IsolationLevel.READ_COMMITTED).stream()
                .filter(record -> account.equals(EndToEndCluster.keyOf(record))).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLettersFrom(int usagePartition) {
        return await().atMost(WAIT).until(() -> cluster.records(Topics.METERING_DLQ.name(), IsolationLevel.READ_COMMITTED)
                .stream()
                .filter(record -> Topics.USAGE_EVENTS.name().equals(EndToEndCluster.header(record, DLQ_TOPIC)))
                .filter(record -> String.valueOf(usagePartition).equals(EndToEndCluster.header(record, DLQ_PARTITION)))
                .toList(), records -> records.size() >= 4);
    }

    private static void assertDeadLetter(ConsumerRecord<byte[], byte[]> deadLetter, String key, byte[] value,
                                         String exception, String message) {
        assertThat(EndToEndCluster.keyOf(deadLetter)).isEqualTo(key);
        assertThat(deadLetter.value()).isEqualTo(value);
        assertThat(EndToEndCluster.header(deadLetter, DLQ_EXCEPTION)).contains(exception);
        assertThat(EndToEndCluster.header(deadLetter, DLQ_MESSAGE)).contains(message);
    }

    /** Bytes that cannot be single-object Avro: they do not start with the marker {@code C3 01}. */
    private static byte[] randomBytes() {
        byte[] bytes = new byte[64];
        new Random(20261126L).nextBytes(bytes);
        bytes[0] = 0x00;
        return bytes;
    }
}
