package dev.meterflow.api.commands;

import dev.meterflow.api.readmodel.ReadModelDao;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Jdbi;

/**
 * How far the pipeline and the read model have come, so that a write can be known accepted rather than guessed
 * by timing: once the metering app has committed past a written record, whatever it wrote for that record (a
 * refusal among it) is committed too, and once the read model has stored offsets at those outputs' ends, a
 * refusal that is not in the read model was never made.
 */
public final class PipelineProgress implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final String meteringApplicationId;
    private final Jdbi jdbi;

    public PipelineProgress(Properties kafkaProperties, String meteringApplicationId, Jdbi jdbi) {
        this.admin = Admin.create(kafkaProperties);
        this.meteringApplicationId = meteringApplicationId;
        this.jdbi = jdbi;
    }

    /** Whether the metering app has committed its consumption of {@code partition} beyond {@code offset}. */
    public boolean consumedPast(TopicPartition partition, long offset) {
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(meteringApplicationId)
                .partitionsToOffsetAndMetadata());
        OffsetAndMetadata next = committed.get(partition);
        return next != null && next.offset() > offset;
    }

    /** The ends of {@code topic}'s partitions as a {@code read_committed} reader sees them now. */
    public Map<TopicPartition, Long> committedEnds(String topic) {
        var description = get(admin.describeTopics(java.util.List.of(topic)).allTopicNames()).get(topic);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description.partitions().forEach(info -> latest.put(new TopicPartition(topic, info.partition()),
                OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        get(admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /** Whether the read model has stored, with their rows, every record before {@code ends}. */
    public boolean readModelReached(Map<TopicPartition, Long> ends) {
        Map<String, Long> stored = jdbi.withExtension(ReadModelDao.class, ReadModelDao::storedOffsets);
        return ends.entrySet().stream().allMatch(end -> end.getValue() == 0 || stored.getOrDefault(
                end.getKey().topic() + "-" + end.getKey().partition(), 0L) >= end.getValue());
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the cluster", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the cluster did not answer: " + e.getMessage(), e);
        }
    }
}
