package dev.meterflow.api.readmodel;

import dev.meterflow.api.readmodel.ReadModelDao.SkippedRecord;
import dev.meterflow.topics.Topic;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one consumer that feeds the read model. It reads its topics with {@code read_committed}, assigned (no
 * consumer group: Kafka's committed offsets are not the source of truth), starts each partition at the offset
 * stored in PostgreSQL, and writes every poll's rows together with the next offsets in one transaction. A failed
 * write stops it: its restart seeks to the stored offsets, so every record is written once.
 */
public final class ReadModel implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReadModel.class);
    private static final Duration RETENTION_CHECK = Duration.ofHours(1);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Jdbi jdbi;
    private final ReadModelWriter writer;
    private final RecordProjector projector = new RecordProjector();
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong lag = new AtomicLong(-1);
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicBoolean caughtUpOnce = new AtomicBoolean();
    private final ReadModelMetrics metrics;
    private final AutoCloseable consumerMeters;
    private Instant nextRetentionCheck = Instant.MIN;

    /**
     * @param kafkaProperties client settings ({@code bootstrap.servers}, security); the read model sets the
     *                        deserializers, isolation level and offset handling itself
     */
    public ReadModel(Properties kafkaProperties, Jdbi jdbi, Retention retention, int maxBatch, Clock clock) {
        this(kafkaProperties, jdbi, retention, maxBatch, clock, new ReadModelMetrics(new SimpleMeterRegistry()));
    }

    /** @param metrics where its lag per partition and batch write times go */
    public ReadModel(Properties kafkaProperties, Jdbi jdbi, Retention retention, int maxBatch, Clock clock,
                     ReadModelMetrics metrics) {
        Properties props = new Properties();
        props.putAll(kafkaProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxBatch));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.jdbi = jdbi;
        this.writer = new ReadModelWriter(jdbi, retention, clock);
        this.clock = clock;
        this.metrics = metrics;
        this.consumerMeters = metrics.bindConsumer(consumer);
    }

    @Override
    public void run() {
        try {
            assignAndSeek();
            while (running.get()) {
                dropExpiredPartitionsWhenDue();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    apply(records);
                }
                lag.set(currentLag());
                if (lag.get() == 0) {
                    caughtUpOnce.set(true);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            closeConsumerMeters();
            consumer.close(Duration.ofSeconds(5));
            log.info("read model stopped");
        }
    }

    /** Records behind the end of the topics (last poll), or -1 before the first poll. */
    public long lag() {
        return lag.get();
    }

    /** Whether the read model has once reached the ends of its topics since it started. */
    public boolean caughtUpOnce() {
        return caughtUpOnce.get();
    }

    /** Records skipped since start (each also has a row in {@code read_model_skipped}). */
    public long skipped() {
        return skipped.get();
    }

    /** Rows left out since start because the retention no longer keeps their month. */
    public long expired() {
        return expired.get();
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }

    private void assignAndSeek() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<String, ?> topic : RecordProjector.TOPICS) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name());
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic '" + topic.name() + "' does not exist: the read model reads it"
                        + " (create the topics with provision-topics)");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        consumer.assign(partitions);
        Map<String, Long> stored = jdbi.withExtension(ReadModelDao.class, ReadModelDao::storedOffsets);
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            Long next = stored.get(partition.topic() + "-" + partition.partition());
            if (next == null) {
                fromStart.add(partition);
            } else {
                consumer.seek(partition, next);
            }
        }
        if (!fromStart.isEmpty()) {
            consumer.seekToBeginning(fromStart);
        }
        log.info("read model started partitions={} resumedFromStoredOffsets={}", partitions.size(), stored.size());
    }

    private void apply(ConsumerRecords<byte[], byte[]> records) {
        Batch batch = new Batch();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            RecordProjector.Outcome outcome = projector.project(record);
            if (outcome instanceof RecordProjector.Outcome.Skipped skip) {
                skip(batch, record, skip.reason());
            } else {
                batch.add(((RecordProjector.Outcome.Projected) outcome).rows());
            }
            batch.consumed(record.topic(), record.partition(), record.offset());
        }
        int left = metrics.timeWrite(() -> writer.write(batch));
        if (left > 0) {
            expired.addAndGet(left);
            log.info("read model left out rows older than the retention rows={}", left);
        }
    }

    private void skip(Batch batch, ConsumerRecord<byte[], byte[]> record, String reason) {
        skipped.incrementAndGet();
        log.warn("read model skipped a record topic='{}' partition={} offset={} reason='{}'", record.topic(),
                record.partition(), record.offset(), reason);
        batch.skip(new SkippedRecord(record.topic(), record.partition(), record.offset(), reason,
                Instant.now(clock)));
    }

    private long currentLag() {
        long total = 0;
        for (TopicPartition partition : consumer.assignment()) {
            var partitionLag = consumer.currentLag(partition);
            if (partitionLag.isPresent()) {
                total += partitionLag.getAsLong();
                metrics.lag(partition, partitionLag.getAsLong());
            }
        }
        return total;
    }

    private void closeConsumerMeters() {
        try {
            consumerMeters.close();
        } catch (Exception e) {
            log.warn("read model consumer meters not unbound reason='{}'", e.toString());
        }
    }

    private void dropExpiredPartitionsWhenDue() {
        Instant now = Instant.now(clock);
        if (now.isBefore(nextRetentionCheck)) {
            return;
        }
        int dropped = writer.dropExpiredPartitions();
        int pruned = writer.pruneSettingsVersions();
        int commands = writer.prunePaymentCommands();
        int refusals = writer.pruneRefusals();
        log.info("read model retention checked droppedPartitions={} prunedSettingsVersions={}"
                + " prunedPaymentCommands={} prunedRefusals={}", dropped, pruned, commands, refusals);
        nextRetentionCheck = now.plus(RETENTION_CHECK);
    }
}
