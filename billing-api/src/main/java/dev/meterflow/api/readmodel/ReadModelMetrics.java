package dev.meterflow.api.readmodel;

import dev.meterflow.health.AppMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The read model's meters: its lag per topic and partition (records behind the end, from the consumer's own
 * positions), the time each batch takes to write with its offsets, and Kafka's own meters of its consumer.
 */
public final class ReadModelMetrics {

    private final MeterRegistry registry;
    private final Map<TopicPartition, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Timer batchWrite;

    public ReadModelMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchWrite = Timer.builder("meterflow.read.model.batch.write")
                .description("Time to write one poll's rows and offsets in one PostgreSQL transaction")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /**
     * Binds the consumer's own meters ({@code kafka_consumer_*}: fetch rates, bytes, records lag) as the apps bind
     * theirs, refreshed every {@link AppMetrics#KAFKA_METRICS_REFRESH}; closing what it returns unbinds them and
     * stops the refresh thread.
     */
    AutoCloseable bindConsumer(Consumer<?, ?> consumer) {
        var scheduler = AppMetrics.kafkaMetricsScheduler();
        KafkaClientMetrics binder = new KafkaClientMetrics(consumer, List.of(), scheduler,
                AppMetrics.KAFKA_METRICS_REFRESH);
        binder.bindTo(registry);
        return () -> {
            binder.close();
            scheduler.shutdownNow();
        };
    }

    void lag(TopicPartition partition, long records) {
        lag.computeIfAbsent(partition, this::lagGauge).set(records);
    }

    <T> T timeWrite(Supplier<T> write) {
        return batchWrite.record(write);
    }

    private AtomicLong lagGauge(TopicPartition partition) {
        AtomicLong records = new AtomicLong();
        Gauge.builder("meterflow.read.model.lag", records, AtomicLong::get)
                .description("Records of the partition the read model has not written yet")
                .baseUnit("records").tag("topic", partition.topic())
                .tag("partition", Integer.toString(partition.partition())).register(registry);
        return records;
    }
}
