package dev.meterflow.metering;

import dev.meterflow.health.AppMetrics;
import dev.meterflow.kafka.HangingTransactionAborter;
import dev.meterflow.kafka.OffsetsFateReader;
import dev.meterflow.kafka.OrphanedTransactionAborter;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.metering.errors.DeadLetterProducer;
import dev.meterflow.metering.health.ChangelogDiagnosis;
import dev.meterflow.metering.health.OrphanedTransactionGuard;
import dev.meterflow.metering.health.Readiness;
import dev.meterflow.metering.health.RestoreTracker;
import dev.meterflow.metering.health.StallWatchdog;
import dev.meterflow.metering.health.WrittenTopics;
import dev.meterflow.metering.topology.MeteringTopology;
import dev.meterflow.topics.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running metering topology: Kafka Streams with the bounded thread replacement, the stall watchdog, a
 * readiness flag and a clean close.
 */
public final class MeteringService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MeteringService.class);

    private final MeteringConfig config;
    private final KafkaStreams streams;
    private final Readiness readiness = new Readiness();
    private final RestoreTracker restores;
    private final List<KafkaStreamsMetrics> binders = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService metricsScheduler = AppMetrics.kafkaMetricsScheduler();
    private final StallWatchdog watchdog;
    private final OrphanedTransactionGuard orphanGuard;
    private final DeadLetterProducer refusedReferenceRecords;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public MeteringService(MeteringConfig config) {
        this.config = config;
        this.refusedReferenceRecords = new DeadLetterProducer(Topics.METERING_DLQ.name(), config.clientProperties());
        Topology topology = MeteringTopology.build(config, refusedReferenceRecords);
        this.streams = new KafkaStreams(topology, config.streamsProperties());
        streams.setUncaughtExceptionHandler(new BoundedThreadReplacement(config.maxThreadReplacements()));
        streams.setStateListener((newState, oldState) -> {
            log.info("metering state {} -> {}", oldState, newState);
            readiness.running(newState == KafkaStreams.State.RUNNING);
            if (newState == KafkaStreams.State.NOT_RUNNING || newState == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        this.restores = new RestoreTracker(taskOfChangelog(topology.describe()));
        streams.setGlobalStateRestoreListener(restores);
        ChangelogDiagnosis diagnosis = new ChangelogDiagnosis(() -> Admin.create(config.clientProperties()));
        Optional<HangingTransactionAborter> aborter = config.abortHangingTransactions()
                ? Optional.of(new HangingTransactionAborter(() -> Admin.create(config.clientProperties()),
                        config.transactionTimeout(), Clock.systemUTC()))
                : Optional.empty();
        this.watchdog = new StallWatchdog(streams, restores, readiness, diagnosis, aborter, config.stallTimeout(),
                Clock.systemUTC(), () -> new Thread(this::close, "metering-stall-close").start());
        this.orphanGuard = orphanGuard(config, topology.describe());
    }

    /** KAFKA-20734: the guard over every partition this application writes, its group's offsets partition included. */
    private static OrphanedTransactionGuard orphanGuard(MeteringConfig config, TopologyDescription description) {
        String applicationId = config.get(MeteringConfig.APPLICATION_ID);
        Set<String> sinks = description.subtopologies().stream().flatMap(subtopology -> subtopology.nodes().stream())
                .filter(node -> node instanceof TopologyDescription.Sink)
                .map(node -> ((TopologyDescription.Sink) node).topic()).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        Admin admin = Admin.create(config.clientProperties());
        OffsetsFateReader fates = new OffsetsFateReader(config.clientProperties());
        OrphanedTransactionAborter aborter = new OrphanedTransactionAborter(admin, applicationId + "-", fates::read,
                config.transactionTimeout(), Clock.systemUTC(), config.abortOrphanedTransactions());
        return new OrphanedTransactionGuard(admin, aborter,
                new WrittenTopics(applicationId, sinks, Topics.METERING_DLQ.name()), applicationId,
                config.orphanedTransactionsCheckInterval());
    }

    public MeteringService start() {
        log.info("starting metering application.id='{}' bootstrap.servers='{}'",
                config.get(MeteringConfig.APPLICATION_ID), config.get(MeteringConfig.BOOTSTRAP_SERVERS));
        streams.start();
        watchdog.start();
        orphanGuard.start();
        return this;
    }

    /** Not ready while out of RUNNING, and for good once the watchdog has found the instance stuck. */
    public Readiness readiness() {
        return readiness;
    }

    /** Why {@code /health/ready} says no: out of RUNNING, a store restoring, or found stuck; empty when ready. */
    public Optional<String> notReadyReason() {
        return readiness.notReadyReason(restores.restoring().size());
    }

    /** Records restored into this instance's active stores since it started. */
    public long restoredRecords() {
        return restores.restoredRecords();
    }

    /**
     * Kafka Streams' metrics (its clients', threads', tasks', stores' and the processor's own
     * {@code meterflow-metering} counters) as Micrometer meters, with the readiness and the restore work.
     */
    public void bindTo(MeterRegistry registry) {
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams, List.of(), metricsScheduler,
                AppMetrics.KAFKA_METRICS_REFRESH);
        binder.bindTo(registry);
        binders.add(binder);
        Gauge.builder("meterflow.metering.ready", () -> notReadyReason().isEmpty() ? 1 : 0)
                .description("1 when /health/ready answers 200").register(registry);
        Gauge.builder("meterflow.metering.restored.records", restores::restoredRecords)
                .description("Records restored into active stores since start-up").register(registry);
        Gauge.builder("meterflow.metering.restoring.partitions", () -> restores.restoring().size())
                .description("Store changelog partitions restoring now").register(registry);
        orphanGuard.bindTo(registry);
    }

    /** The instance stopped because the watchdog found it stuck: the app exits with {@code EXIT_STUCK}. */
    public boolean stoppedStuck() {
        return readiness.stuckReason().isPresent();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Kafka Streams' metrics as its clients keep them: the benchmark harness counts the records written. */
    public Map<MetricName, ? extends Metric> metrics() {
        return streams.metrics();
    }

    /** Blocks until the topology stops (closed, or shut down after too many thread failures). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Closes within {@code meterflow.shutdown-timeout}: commits what is done, aborts what is not, writes each
     * store's checkpoint (so the next start restores nothing) and leaves the consumer group, unless the instance
     * is a static member ({@link GroupMembership}).
     */
    @Override
    public void close() {
        CloseOptions.GroupMembershipOperation membership = GroupMembership.onClose(config.streamsProperties());
        log.info("closing metering timeout={} membership={}", config.shutdownTimeout(), membership);
        watchdog.close();
        orphanGuard.close();
        boolean closed = streams.close(CloseOptions.groupMembershipOperation(membership)
                .withTimeout(config.shutdownTimeout()));
        if (!closed) {
            // a task not closed cleanly has no checkpoint: under exactly-once its next start wipes and restores it
            log.warn("metering did not close within timeout={}; tasks still open restore from their changelogs "
                    + "on the next start", config.shutdownTimeout());
        }
        binders.forEach(KafkaStreamsMetrics::close);
        metricsScheduler.shutdownNow();
        refusedReferenceRecords.close();
        stopped.countDown();
    }

    /**
     * The task that owns a changelog partition, for the watchdog's report: a store's changelog partition p belongs
     * to task {@code <sub-topology>_p}; the global store's source topic to the global thread.
     */
    private Function<TopicPartition, String> taskOfChangelog(TopologyDescription description) {
        Map<String, Integer> subtopologyOfStore = new HashMap<>();
        description.subtopologies().forEach(subtopology -> subtopology.nodes().stream()
                .filter(node -> node instanceof TopologyDescription.Processor)
                .flatMap(node -> ((TopologyDescription.Processor) node).stores().stream())
                .forEach(store -> subtopologyOfStore.put(store, subtopology.id())));
        String prefix = config.get(MeteringConfig.APPLICATION_ID) + "-";
        return changelog -> {
            String topic = changelog.topic();
            String store = topic.startsWith(prefix) && topic.endsWith("-changelog")
                    ? topic.substring(prefix.length(), topic.length() - "-changelog".length()) : null;
            Integer subtopology = subtopologyOfStore.get(store);
            return subtopology == null ? "global" : subtopology + "_" + changelog.partition();
        };
    }
}
