package dev.meterflow.local.topics;

import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every topic Meterflow needs, with partitions, replication, cleanup and retention: the one place they are
 * defined. Account-keyed topics all get the same partition count (co-partitioning); the ledger is kept
 * forever; parked usage expires before the 35-day dedup horizon so a replay never re-publishes an event whose
 * id was forgotten. A retention counts from each record's time: metering stamps what it writes for later readers
 * with the time it writes it, whatever the time of the input that caused it (ARCHITECTURE.md, "Record times").
 */
public final class TopicDefinitions {

    /** Retention of delete-policy topics unless listed in {@link #RETENTION}. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    /** Topic-specific retention; {@code null} keeps records forever. */
    private static final Map<String, Duration> RETENTION = Map.ofEntries(
            Map.entry(Topics.LEDGER_ENTRIES.name(), Duration.ZERO),
            Map.entry(Topics.USAGE_EVENTS.name(), Duration.ofDays(7)),
            Map.entry(Topics.USAGE_UNPRICED.name(), Duration.ofDays(30)),
            Map.entry(Topics.METERING_DLQ.name(), Duration.ofDays(30)),
            Map.entry(Topics.RECHARGE_REQUESTS_DLQ.name(), Duration.ofDays(30)),
            Map.entry(Topics.PAYMENT_RESULTS_UNMATCHED.name(), Duration.ofDays(30)),
            Map.entry(Topics.ACCOUNT_SETTINGS_REJECTED.name(), Duration.ofDays(30)),
            Map.entry(Topics.PAYMENT_COMMANDS_REJECTED.name(), Duration.ofDays(30)),
            Map.entry(Topics.RECEIPTS.name(), Duration.ofDays(30)),
            Map.entry(Topics.PAYMENT_RESULTS.name(), Duration.ofDays(30)),
            Map.entry(Topics.RECHARGE_REQUESTS.name(), Duration.ofDays(30)));

    private TopicDefinitions() {
    }

    /** Every topic for a cluster with this many partitions per topic and this replication. */
    public static List<TopicDefinition> all(int partitions, short replication) {
        return Topics.ALL.stream().map(topic -> definition(topic, partitions, replication)).toList();
    }

    private static TopicDefinition definition(Topic<?, ?> topic, int partitions, short replication) {
        // reference data is small and read whole by every instance: one partition is enough
        boolean reference = topic == Topics.RATE_CARDS || topic == Topics.TAX_RATES;
        Long retentionMs = null;
        if (!topic.compacted()) {
            Duration retention = RETENTION.getOrDefault(topic.name(), DEFAULT_RETENTION);
            retentionMs = retention.isZero() ? -1L : retention.toMillis();
        }
        return new TopicDefinition(topic.name(), reference ? 1 : partitions, replication, topic.compacted(),
                retentionMs, topic.keyedByAccount());
    }

    /**
     * One topic as it must exist.
     *
     * @param retentionMs {@code retention.ms} of a delete-policy topic ({@code -1} = forever); {@code null}
     *                    for compacted topics
     */
    public record TopicDefinition(String name, int partitions, short replication, boolean compacted,
                                  Long retentionMs, boolean keyedByAccount) {

        public Map<String, String> configs() {
            return retentionMs == null ? Map.of("cleanup.policy", "compact")
                    : Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(retentionMs));
        }
    }
}
