package dev.meterflow.health;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The registry an app's {@code /metrics} serves: JVM and process metrics, every meter tagged with the app. */
public final class AppMetrics {

    /**
     * How often the Kafka binders look for new client metrics. A partition's lag exists only once the partition is
     * assigned and fetched; with Micrometer's default of 60 s it was missing from a minute of scrapes after every
     * rebalance.
     */
    public static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(10);

    private AppMetrics() {
    }

    /** A daemon thread for Kafka binders' refreshes; whoever closes the binders shuts it down. */
    public static ScheduledExecutorService kafkaMetricsScheduler() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meterflow-kafka-metrics");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static PrometheusMeterRegistry prometheus(String app) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("app", app);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        // the GC binder listens to GC notifications for the life of the JVM, as the app's registry lives
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }
}
