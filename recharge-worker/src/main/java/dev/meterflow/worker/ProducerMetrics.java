package dev.meterflow.worker;

import dev.meterflow.health.AppMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka client metrics of the worker's transactional producer, moved to each producer that replaces a fenced
 * one. A replacement has the same client id, so its meters have the same names and tags as the old ones: the old
 * binder must be closed (its meters removed, its refresh stopped) before the new one binds, or the registry keeps
 * the meters that read the closed producer. Each binder has a refresh thread of its own for that reason: a binder
 * on a shared scheduler leaves its refresh running when closed.
 */
final class ProducerMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final Duration refresh;
    private KafkaClientMetrics binder;
    private ScheduledExecutorService scheduler;

    ProducerMetrics(MeterRegistry registry, Duration refresh) {
        this.registry = registry;
        this.refresh = refresh;
    }

    /** Reports {@code producer}'s metrics from now on, in place of the previous producer's. */
    synchronized void bind(Producer<?, ?> producer) {
        unbind();
        scheduler = AppMetrics.kafkaMetricsScheduler();
        binder = new KafkaClientMetrics(producer, List.of(), scheduler, refresh);
        binder.bindTo(registry);
    }

    @Override
    public synchronized void close() {
        unbind();
    }

    private void unbind() {
        if (binder != null) {
            binder.close();
            scheduler.shutdownNow();
            binder = null;
            scheduler = null;
        }
    }
}
