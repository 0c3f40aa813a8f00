package dev.meterflow.api.readmodel;

import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Decodes a raw record of one of the read model's topics with the registry's serdes and projects it. A record
 * that cannot be decoded or used is an {@link Outcome.Skipped} with the reason, never an exception.
 */
public final class RecordProjector {

    /** The topics the read model reads, in the registry's spelling. */
    public static final List<Topic<String, ?>> TOPICS = List.of(Topics.LEDGER_ENTRIES, Topics.ACCOUNT_BALANCES,
            Topics.ACCOUNT_STATUS, Topics.ACCOUNT_SETTINGS, Topics.PAYMENT_RESULTS, Topics.RECEIPTS,
            Topics.BILLING_NOTIFICATIONS, Topics.USAGE_ROLLUPS, Topics.PAYMENT_COMMANDS,
            Topics.ACCOUNT_SETTINGS_REJECTED, Topics.PAYMENT_COMMANDS_REJECTED);

    private final Map<String, BiFunction<ConsumerRecord<byte[], byte[]>, String, List<ReadModelRow>>> byTopic = Map.of(
            Topics.LEDGER_ENTRIES.name(), (r, key) -> Projection.ledgerEntry(key, decode(Topics.LEDGER_ENTRIES, r)),
            Topics.ACCOUNT_BALANCES.name(), (r, key) -> Projection.balance(key, decode(Topics.ACCOUNT_BALANCES, r)),
            Topics.ACCOUNT_STATUS.name(), (r, key) -> Projection.status(key, decode(Topics.ACCOUNT_STATUS, r)),
            Topics.ACCOUNT_SETTINGS.name(), (r, key) -> Projection.settings(key,
                    decode(Topics.ACCOUNT_SETTINGS, r), actor(r)),
            Topics.PAYMENT_RESULTS.name(), (r, key) -> Projection.paymentResult(key,
                    decode(Topics.PAYMENT_RESULTS, r)),
            Topics.RECEIPTS.name(), (r, key) -> Projection.receipt(key, decode(Topics.RECEIPTS, r)),
            Topics.BILLING_NOTIFICATIONS.name(), (r, key) -> Projection.notification(key,
                    decode(Topics.BILLING_NOTIFICATIONS, r)),
            Topics.USAGE_ROLLUPS.name(), (r, key) -> Projection.usageRollup(key, decode(Topics.USAGE_ROLLUPS, r)),
            Topics.PAYMENT_COMMANDS.name(), (r, key) -> Projection.paymentCommand(key,
                    decode(Topics.PAYMENT_COMMANDS, r), actor(r)));

    /** The pipeline's refusals: the record as sent, why in {@code meterflow.reason}, the page's message in detail. */
    private final Map<String, BiFunction<ConsumerRecord<byte[], byte[]>, String, List<ReadModelRow>>> refusals = Map.of(
            Topics.ACCOUNT_SETTINGS_REJECTED.name(), (r, key) -> Projection.settingsRefused(key,
                    decode(Topics.ACCOUNT_SETTINGS_REJECTED, r), reason(r), message(r), actor(r)),
            Topics.PAYMENT_COMMANDS_REJECTED.name(), (r, key) -> Projection.paymentCommandRefused(key,
                    decode(Topics.PAYMENT_COMMANDS_REJECTED, r), reason(r), message(r), actor(r)));

    public Outcome project(ConsumerRecord<byte[], byte[]> record) {
        var projection = byTopic.getOrDefault(record.topic(), refusals.get(record.topic()));
        if (projection == null) {
            return new Outcome.Skipped("not a topic of the read model");
        }
        if (record.key() == null) {
            return new Outcome.Skipped("record without a key");
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        boolean tombstone = record.value() == null;
        if (tombstone && !Topics.ACCOUNT_SETTINGS.name().equals(record.topic())) {
            // a compacted topic's delete marker: the read model keeps the last state it saw
            return new Outcome.Projected(List.of());
        }
        try {
            return new Outcome.Projected(projection.apply(record, key));
        } catch (RuntimeException e) {
            return new Outcome.Skipped(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static <V> V decode(Topic<String, V> topic, ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        return topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
    }

    private static String actor(ConsumerRecord<byte[], byte[]> record) {
        return header(record, Projection.ACTOR_HEADER);
    }

    private static String reason(ConsumerRecord<byte[], byte[]> record) {
        String reason = header(record, Topics.REASON_HEADER);
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("refusal without a " + Topics.REASON_HEADER + " header");
        }
        return reason;
    }

    /** The page's message; a refusal without one still shows, by its reason. */
    private static String message(ConsumerRecord<byte[], byte[]> record) {
        String detail = header(record, Topics.DETAIL_HEADER);
        return detail == null || detail.isBlank() ? "refused (" + reason(record) + ")." : detail;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The rows of a record, or why it was skipped. */
    public sealed interface Outcome {
        record Projected(List<ReadModelRow> rows) implements Outcome {
        }

        record Skipped(String reason) implements Outcome {
        }
    }
}
