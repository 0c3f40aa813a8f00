package dev.meterflow.kafka;

import dev.meterflow.kafka.OrphanedTransactions.OffsetsFate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads whether a transaction's part on a {@code __consumer_offsets} partition was committed or aborted, once it is
 * no longer open: a {@code read_committed} read from the part's first offset returns that record when it was
 * committed and skips past it when it was aborted. Offset commits are compacted only out of segments that are no
 * longer active, so a part decided minutes ago is still there to read.
 */
public final class OffsetsFateReader {

    private static final Duration READ_FOR = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Properties clientProperties;

    /** @param clientProperties the Kafka client settings ({@code bootstrap.servers}, security) */
    public OffsetsFateReader(Properties clientProperties) {
        this.clientProperties = clientProperties;
    }

    /** Committed or aborted; empty when the part is still open, could not be read in time or may not be read. */
    public Optional<OffsetsFate> read(TopicPartition partition, long startOffset) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, startOffset);
            Instant until = Instant.now().plus(READ_FOR);
            while (Instant.now().isBefore(until)) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    long first = records.records(partition).get(0).offset();
                    return Optional.of(first == startOffset ? OffsetsFate.COMMITTED : OffsetsFate.ABORTED);
                }
                // a read_committed fetch moves the position over aborted batches without returning them, and
                // stops at the last stable offset while the part is still open
                if (consumer.position(partition) > startOffset) {
                    return Optional.of(OffsetsFate.ABORTED);
                }
            }
            return Optional.empty();
        } catch (KafkaException e) {
            // without Read on __consumer_offsets (or the broker away) the fate stays unknown: the orphan is left
            return Optional.empty();
        }
    }
}
