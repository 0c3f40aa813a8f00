package dev.meterflow.local.bench;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.local.stack.ConsumerLag;
import dev.meterflow.local.stack.SeedData;
import dev.meterflow.local.stack.UsageGenerator;
import dev.meterflow.local.bench.postgres.PostgresPeer;
import dev.meterflow.local.topics.ProvisionTopics;
import dev.meterflow.local.topics.TopicDefinitions;
import dev.meterflow.metering.MeteringService;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.pricing.Usage;
import dev.meterflow.metering.topology.AvroMapping;
import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.RechargeWorkerService;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.stripe.StripeGateway;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The benchmark harness: on one machine, in one run, for a uniform and a skewed workload each on a broker of its
 * own — the broker's own ceiling (producer alone, consumer alone, and a transactional consume-produce copy of the
 * same records), the metering topology's throughput catching up on pre-loaded usage and the records it writes per
 * event, latency at half that rate (median of several runs), state size and restore time, and the same metering
 * done conventionally on PostgreSQL; then the recharge worker against the simulator. Prints a table and writes
 * JSON; measures, never judges.
 */
public final class Bench {

    /**
     * How the benchmark is run.
     *
     * @param runs          latency runs per workload, whose median is reported
     * @param workloads     which workloads to run, in order (each on a broker of its own)
     * @param zipfExponent  the skewed workload's s
     * @param storeMetrics  run the topology at the DEBUG metrics level to count its store reads (slower)
     * @param pgBatchSize   usage events per transaction of the PostgreSQL peer
     * @param meteringProperties  more settings of the metering topology (the shipped producer tuning, say), over
     *                            the harness's own
     */
    public record Options(int events, int accounts, int partitions, int streamThreads, int commitIntervalMs,
                          Duration latencyDuration, int latencyAccounts, int runs, List<String> workloads,
                          double zipfExponent, boolean storeMetrics, int pgBatchSize, int workerRequests,
                          long gatewayLatencyMs, int gatewayRateLimit, Path dataDir, Path json,
                          Map<String, String> meteringProperties) {
    }

    private static final String METERING_APP = "bench-metering";
    /** The baseline copy's thread, and what its clients' ids contain, so its CPU can be told from the broker's. */
    static final String COPY_THREAD = "bench-baseline-copy";
    /** How many of the pre-loaded records the producer-only run cycles through. */
    private static final int PRODUCER_SAMPLE = 10_000;
    /** The busiest accounts whose share of the events the run reports: 1 %. */
    private static final double BUSIEST = 0.01;

    private final Options options;
    private final PrintStream out;
    private final BenchReport report = new BenchReport();

    public Bench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public BenchReport run() throws Exception {
        List<Workload> workloads = Workload.named(options.workloads(), options.zipfExponent());
        if (options.runs() < 1 || options.pgBatchSize() < 1) {
            throw new IllegalArgumentException("--runs and --pg-batch-size must be at least 1, were "
                    + options.runs() + " and " + options.pgBatchSize());
        }
        describeMachine();
        deleteRecursively(options.dataDir());
        for (Workload workload : workloads) {
            measure(workload);
        }
        worker();
        report.setting("load average at end (1 min)", loadAverage());
        report.print(out);
        workloads.forEach(this::printSummary);
        report.writeJson(options.json());
        out.println("figures written to " + options.json());
        return report;
    }

    /** One workload on a broker of its own: the broker's ceiling, metering, latency, state; then the peer. */
    private void measure(Workload workload) throws Exception {
        out.printf("%n== workload %s: %s ==%n", workload.name(), workload.description());
        Path dir = options.dataDir().resolve(workload.name());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
             Admin admin = kafka.admin()) {
            new ProvisionTopics(admin).apply(TopicDefinitions.all(options.partitions(), (short) 1));
            admin.createTopics(List.of(new NewTopic(BrokerCeiling.COPY_OUT, options.partitions(), (short) 1),
                    new NewTopic(BrokerCeiling.PRODUCER_OUT, options.partitions(), (short) 1))).all().get();
            Path stateDir = dir.resolve("metering-state");
            preloadSettings(kafka.bootstrapServers());
            takeInSettings(kafka.bootstrapServers(), admin, stateDir);
            List<BrokerCeiling.KeyedValue> sample = preloadUsage(kafka.bootstrapServers(), workload);
            ceiling(kafka.bootstrapServers(), workload, sample);
            MeteringService metering = meteringThroughput(kafka.bootstrapServers(), admin, stateDir, workload);
            try {
                latency(kafka.bootstrapServers(), admin, workload);
                state(stateDir, workload);
            } finally {
                metering.close();
            }
            restore(kafka.bootstrapServers(), stateDir, workload);
        }
        postgresPeer(dir.resolve("postgres"), workload);
    }

    private void describeMachine() {
        report.setting("machine", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        report.setting("load average at start (1 min)", loadAverage());
        report.setting("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        report.setting("broker", "embedded single-node KRaft, Kafka " + kafkaVersion());
        report.setting("date", Instant.now().toString());
        report.setting("partitions", options.partitions());
        report.setting("stream threads", options.streamThreads());
        report.setting("processing.guarantee", "exactly_once_v2 (baseline: transactions)");
        report.setting("commit.interval.ms", options.commitIntervalMs());
        options.meteringProperties().forEach((key, value) -> report.setting("metering " + key, value));
        report.setting("metrics.recording.level", options.storeMetrics() ? "DEBUG" : "INFO");
        report.setting("usage events", options.events());
        report.setting("accounts", options.accounts());
        report.setting("latency runs (median reported)", options.runs());
        report.setting("workloads", String.join(", ", options.workloads()));
        report.setting("skewed workload Zipf s", options.zipfExponent());
        report.setting("PostgreSQL peer connections", Runtime.getRuntime().availableProcessors());
        report.setting("PostgreSQL peer batch", options.pgBatchSize());
    }

    /** The rate card and every account's settings, which the topology takes in before the measured run. */
    private void preloadSettings(String bootstrap) {
        Instant now = Instant.now().minusSeconds(120);
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            send(producer, Topics.RATE_CARDS.name(), SeedData.RATE_PLAN,
                    Topics.RATE_CARDS.valueSerde().serializer().serialize(null, SeedData.rateCard(now)));
            for (AccountSettings settings : allSettings(now)) {
                send(producer, Topics.ACCOUNT_SETTINGS.name(), settings.getAccountId(),
                        Topics.ACCOUNT_SETTINGS.valueSerde().serializer().serialize(null, settings));
            }
            producer.flush();
        }
        requireAllSent("settings");
    }

    /**
     * The topology takes in the settings (and asks for every account's first recharge) before the usage is
     * loaded, so the measured run's rate, records and reads are the usage's alone.
     */
    private void takeInSettings(String bootstrap, Admin admin, Path stateDir) throws InterruptedException {
        out.println("metering: taking in the accounts' settings before the measured run ...");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        try (MeteringService metering = new MeteringService(meteringConfig(bootstrap, stateDir)).start()) {
            while (ConsumerLag.of(admin, METERING_APP, Topics.ACCOUNT_SETTINGS.name()) != 0) {
                if (metering.state() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the metering topology did not take in the settings (state "
                            + metering.state() + ")");
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    /** The workload's usage, as fast as the producer goes. Returns the first records, for the producer-only run. */
    private List<BrokerCeiling.KeyedValue> preloadUsage(String bootstrap, Workload workload) {
        Instant now = Instant.now().minusSeconds(60);
        String section = workload.name() + "/preload";
        long start = System.nanoTime();
        long bytes = 0;
        List<BrokerCeiling.KeyedValue> sample = new ArrayList<>();
        ActivityShare share = new ActivityShare();
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            UsageGenerator usage = throughputUsage(workload);
            for (int i = 0; i < options.events(); i++) {
                UsageEvent event = usage.next(now.plusMillis(1));
                byte[] value = Topics.USAGE_EVENTS.valueSerde().serializer().serialize(null, event);
                bytes += value.length;
                share.count(event.getAccountId());
                send(producer, Topics.USAGE_EVENTS.name(), event.getAccountId(), value);
                if (sample.size() < PRODUCER_SAMPLE) {
                    sample.add(new BrokerCeiling.KeyedValue(
                            event.getAccountId().getBytes(StandardCharsets.UTF_8), value));
                }
                if ((i + 1) % 200_000 == 0) {
                    out.printf("  pre-loading: %,d of %,d usage events%n", i + 1, options.events());
                }
            }
            producer.flush();
        }
        requireAllSent("pre-load");
        double seconds = (System.nanoTime() - start) / 1e9;
        report.setting("usage record size (bytes, avg)", options.events() == 0 ? 0 : bytes / options.events());
        report.figure(section, "events/s (producer, acks=all, Avro encoding included)",
                Math.round(options.events() / seconds));
        report.figure(section, "share of events from the busiest 1% of accounts",
                round(share.busiestShare(options.accounts(), BUSIEST)));
        out.printf("pre-loaded %,d usage events in %.1f s; the busiest 1%% of accounts sent %.0f%% of them%n",
                options.events(), seconds, 100 * share.busiestShare(options.accounts(), BUSIEST));
        return sample;
    }

    /** The broker's own rates on this machine: producer alone, consumer alone, transactional copy. */
    private void ceiling(String bootstrap, Workload workload, List<BrokerCeiling.KeyedValue> sample) {
        if (sample.isEmpty()) {
            return;
        }
        String section = workload.name() + "/baseline";
        BrokerCeiling ceiling = new BrokerCeiling(bootstrap, options.events(), out);
        report.figure(section, "producer only, events/s",
                Math.round(ceiling.producerOnly(sample, producerSettings(bootstrap))));
        report.figure(section, "consumer only, events/s", Math.round(ceiling.consumerOnly()));
        BenchPhase phase = BenchPhase.begin(workload.name(), "baseline: transactional copy");
        CpuMeter.Snapshot cpuStart = CpuMeter.snapshot();
        long copy = Math.round(onThread(COPY_THREAD, () -> ceiling.transactionalCopy(options.commitIntervalMs())));
        cpu(section, "copy loop", CpuMeter.since(cpuStart, COPY_THREAD), options.events());
        phase.end(options.events());
        report.figure(section, "events/s", copy);
        out.printf("baseline: transactional copy %,d events/s%n", copy);
    }

    /**
     * Like the rate, from the first progress: the start-up and any restore before it are not the events' cost. A
     * run so short that most of it went by before the first progress was seen is counted from the start-up.
     */
    private void meteringCpu(String section, CpuMeter.Snapshot atStartUp, CpuMeter.Snapshot atFirstProgress,
                             long eventsAfterFirstProgress) {
        boolean fromFirstProgress = atFirstProgress != null && eventsAfterFirstProgress >= options.events() / 2;
        report.figure(section, "CPU counted", fromFirstProgress
                ? "from the first progress: " + eventsAfterFirstProgress + " events" : "from the start-up: all events");
        cpu(section, "stream threads", CpuMeter.since(fromFirstProgress ? atFirstProgress : atStartUp, METERING_APP),
                fromFirstProgress ? eventsAfterFirstProgress : options.events());
    }

    /**
     * The CPU time a measured run took per usage event, by thread group, and the cores the JVM and the machine kept
     * busy meanwhile. CPU, not wall time: a loaded machine changes it less than the rate, though a starved run
     * spreads its per-commit work over fewer events.
     */
    private void cpu(String section, String app, CpuMeter.Usage usage, long events) {
        report.figure(section, "CPU microseconds per usage event, by thread group", usage.microsPerEvent(events, app));
        report.figure(section, "cores busy: this JVM", usage.jvmCores());
        usage.machineCores(Runtime.getRuntime().availableProcessors()).ifPresent(cores ->
                report.figure(section, "cores busy: the whole machine (every process)", cores));
    }

    /** Runs {@code work} on a thread of its own, named so that its CPU time is told apart. */
    private static double onThread(String name, DoubleSupplier work) {
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, name));
        try {
            return executor.submit(work::getAsDouble).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            executor.shutdownNow();
        }
    }

    /** The metering topology catching up from the earliest offset on everything pre-loaded. */
    private MeteringService meteringThroughput(String bootstrap, Admin admin, Path stateDir, Workload workload)
            throws InterruptedException {
        out.println("metering: catching up on the pre-loaded usage (exactly_once_v2) ...");
        String section = workload.name() + "/metering";
        MeteringService metering = new MeteringService(meteringConfig(bootstrap, stateDir));
        CpuMeter.Snapshot cpuAtStartUp = CpuMeter.snapshot();
        BenchPhase phase = null;
        long start = System.nanoTime();
        metering.start();
        long firstProgress = 0;
        CpuMeter.Snapshot cpuAtFirstProgress = null;
        long eventsAfterFirstProgress = 0;
        long nextProgress = start + TimeUnit.SECONDS.toNanos(5);
        long deadline = start + TimeUnit.MINUTES.toNanos(60);
        Optional<Map<String, Double>> storeReads = Optional.empty();
        while (true) {
            if (metering.state() == KafkaStreams.State.ERROR || metering.state() == KafkaStreams.State.NOT_RUNNING
                    || System.nanoTime() > deadline) {
                metering.close();
                throw new IllegalStateException("the metering topology stopped catching up (state "
                        + metering.state() + ")");
            }
            long lag = ConsumerLag.of(admin, METERING_APP, Topics.USAGE_EVENTS.name());
            long now = System.nanoTime();
            if (firstProgress == 0 && lag >= 0 && lag < options.events()) {
                firstProgress = now;
                cpuAtFirstProgress = CpuMeter.snapshot();
                eventsAfterFirstProgress = lag;
                phase = BenchPhase.begin(workload.name(), "metering: catching up");
            }
            if (lag == 0) {
                break;
            }
            if (options.storeMetrics()) {
                Optional<Map<String, Double>> reads = StreamsCounters.storeReadsPerRecord(metering.metrics());
                storeReads = reads.isPresent() ? reads : storeReads;
            }
            if (now > nextProgress) {
                out.printf("  metering: %,d events to go%n", lag);
                nextProgress += TimeUnit.SECONDS.toNanos(5);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        long end = System.nanoTime();
        if (phase != null) {
            phase.end(eventsAfterFirstProgress);
        }
        meteringCpu(section, cpuAtStartUp, cpuAtFirstProgress, eventsAfterFirstProgress);
        double seconds = (end - start) / 1e9;
        double processing = (end - (firstProgress == 0 ? start : firstProgress)) / 1e9;
        long rate = Math.round(options.events() / processing);
        report.figure(section, "events/s", rate);
        report.figure(section, "seconds (processing)", round(processing));
        report.figure(section, "seconds (incl. start-up)", round(seconds));
        if (report.figure(workload.name() + "/baseline", "events/s") instanceof Long baseline && baseline > 0) {
            report.figure(section, "ratio to baseline", round((double) rate / baseline));
        }
        recordsWritten(metering, section);
        storeReads(section, storeReads);
        out.printf("metering: %,d events in %.1f s (%,d events/s)%n", options.events(), processing, rate);
        return metering;
    }

    private void storeReads(String section, Optional<Map<String, Double>> byStore) {
        if (byStore.isEmpty()) {
            report.figure(section, "store reads per record processed", "not measured (run with --store-metrics)");
            return;
        }
        report.figure(section, "store reads per record processed",
                round(byStore.get().values().stream().mapToDouble(Double::doubleValue).sum()));
        Map<String, Double> rounded = new LinkedHashMap<>();
        byStore.get().forEach((store, reads) -> rounded.put(store, round(reads)));
        report.figure(section, "store reads per record processed, by store", rounded);
    }

    /** The records the topology's producers wrote while catching up, per usage event, in all and by topic. */
    private void recordsWritten(MeteringService metering, String section) {
        Map<String, Long> byTopic = StreamsCounters.recordsWrittenByTopic(metering.metrics());
        long total = byTopic.values().stream().mapToLong(Long::longValue).sum();
        double events = Math.max(1, options.events());
        report.figure(section, "records written per usage event", round(total / events));
        Map<String, Double> perEvent = new LinkedHashMap<>();
        byTopic.forEach((topic, records) -> perEvent.put(topic.replace(METERING_APP + "-", ""),
                round(records / events)));
        report.figure(section, "records written per usage event, by topic", perEvent);
    }

    /**
     * Usage at half the measured rate for a while, {@code runs} times; the time from each event's timestamp to its
     * ledger entry, and from a threshold-crossing event to its recharge request, as a read_committed consumer sees
     * them; the median of the runs' figures. The harness answers the latency accounts' requests at once, so their
     * balances keep crossing.
     */
    private void latency(String bootstrap, Admin admin, Workload workload) throws Exception {
        String section = workload.name() + "/latency";
        long measured = report.figure(workload.name() + "/metering", "events/s") instanceof Long rate ? rate : 1_000;
        int ratePerSecond = (int) Math.max(10, measured / 2);
        LatencyProbe probe = new LatencyProbe(bootstrap, admin, METERING_APP, options.latencyDuration(),
                options.commitIntervalMs(), out);
        Map<String, List<Long>> runs = new LinkedHashMap<>();
        for (int run = 1; run <= options.runs(); run++) {
            out.printf("latency run %d of %d: %,d events/s for %d s ...%n", run, options.runs(), ratePerSecond,
                    options.latencyDuration().toSeconds());
            BenchPhase phase = BenchPhase.begin(workload.name(), "latency run " + run);
            probe.run(latencyUsage(workload, run), ratePerSecond)
                    .forEach((name, value) -> runs.computeIfAbsent(name, n -> new ArrayList<>()).add(value));
            phase.end(0);
        }
        report.figure(section, "rate (events/s)", ratePerSecond);
        runs.forEach((name, values) -> report.figure(section, name, Median.of(values)));
        report.figure(section, "crossing -> request p99 ms, each run", runs.get("crossing -> request p99 ms"));
    }

    /** Disk and heap of the metering state for the accounts loaded, per million accounts. */
    private void state(Path stateDir, Workload workload) {
        String section = workload.name() + "/state";
        long bytes = directorySize(stateDir);
        int accounts = options.accounts() + options.latencyAccounts();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        report.figure(section, "state dir MiB", round(bytes / 1048576.0));
        report.figure(section, "state dir MiB per million accounts", round(bytes / 1048576.0 / accounts * 1_000_000));
        report.figure(section, "JVM heap used after GC MiB (broker + apps)", round(heap / 1048576.0));
    }

    /** The state directory is lost: how long until the topology runs again from its changelogs. */
    private void restore(String bootstrap, Path stateDir, Workload workload) throws InterruptedException {
        deleteRecursively(stateDir);
        out.println("restore: state directory deleted, restarting the topology ...");
        long start = System.nanoTime();
        try (MeteringService metering = new MeteringService(meteringConfig(bootstrap, stateDir)).start()) {
            while (metering.state() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10) || metering.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("the topology did not restore (state " + metering.state() + ")");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            report.figure(workload.name() + "/state", "restore after losing the state dir (s)",
                    round((System.nanoTime() - start) / 1e9));
        }
    }

    /**
     * The same workload metered on PostgreSQL the conventional way, with the broker stopped: the same events
     * catching up as fast as it goes, then latency at half that rate, {@code runs} times.
     */
    private void postgresPeer(Path dir, Workload workload) throws Exception {
        out.println("PostgreSQL peer: the same usage, one transaction per batch ...");
        String section = workload.name() + "/postgres peer";
        Instant now = Instant.now().minusSeconds(60);
        List<BillingSettings> accounts = allSettings(now).stream().map(AvroMapping::settings).toList();
        List<Usage> events = new ArrayList<>(options.events());
        UsageGenerator usage = throughputUsage(workload);
        for (int i = 0; i < options.events(); i++) {
            events.add(AvroMapping.usage(usage.next(now.plusMillis(1))));
        }
        try (PostgresPeer peer = PostgresPeer.start(dir, accounts,
                List.of(AvroMapping.ratePlan(SeedData.rateCard(now))), 0, Runtime.getRuntime().availableProcessors(),
                options.pgBatchSize())) {
            BenchPhase phase = BenchPhase.begin(workload.name(), "PostgreSQL peer: catching up");
            long rate = Math.round(peer.throughput(events));
            phase.end(events.size());
            events.clear();
            report.figure(section, "events/s", rate);
            if (report.figure(workload.name() + "/baseline", "events/s") instanceof Long baseline && baseline > 0) {
                report.figure(section, "ratio to baseline", round((double) rate / baseline));
            }
            out.printf("PostgreSQL peer: %,d events/s%n", rate);
            int latencyRate = (int) Math.max(10, rate / 2);
            Map<String, List<Long>> runs = new LinkedHashMap<>();
            for (int run = 1; run <= options.runs(); run++) {
                UsageGenerator arriving = latencyUsage(workload, run);
                Histogram latencies = peer.latency(latencyRate, options.latencyDuration(),
                        at -> AvroMapping.usage(arriving.next(Instant.ofEpochMilli(at))));
                runs.computeIfAbsent("usage -> commit p50 ms", n -> new ArrayList<>()).add(latencies.percentile(50));
                runs.computeIfAbsent("usage -> commit p99 ms", n -> new ArrayList<>()).add(latencies.percentile(99));
                runs.computeIfAbsent("usage -> commit p99.9 ms", n -> new ArrayList<>())
                        .add(latencies.percentile(99.9));
                out.printf("  PostgreSQL peer latency run %d: p99 %d ms%n", run, latencies.percentile(99));
            }
            report.figure(section, "latency rate (events/s)", latencyRate);
            runs.forEach((name, values) -> report.figure(section, name, Median.of(values)));
        }
    }

    /** The figures a reader compares, per workload, after the full listing. */
    private void printSummary(Workload workload) {
        String name = workload.name();
        out.printf("%n%s (%s): busiest 1%% of accounts sent %s of the events%n", name, workload.description(),
                report.figure(name + "/preload", "share of events from the busiest 1% of accounts"));
        out.printf("  broker: producer only %s, consumer only %s, transactional copy %s events/s%n",
                report.figure(name + "/baseline", "producer only, events/s"),
                report.figure(name + "/baseline", "consumer only, events/s"),
                report.figure(name + "/baseline", "events/s"));
        out.printf("  metering %s events/s, metering/baseline %s, records written per event %s%n",
                report.figure(name + "/metering", "events/s"), report.figure(name + "/metering", "ratio to baseline"),
                report.figure(name + "/metering", "records written per usage event"));
        out.printf("  CPU per usage event, microseconds: metering %s, copy %s (whole JVM, cores busy %s and %s)%n",
                cpuFigure(name + "/metering", "whole JVM"), cpuFigure(name + "/baseline", "whole JVM"),
                report.figure(name + "/metering", "cores busy: this JVM"),
                report.figure(name + "/baseline", "cores busy: this JVM"));
        out.printf("  crossing -> request p50/p99/p99.9 ms (median of %d) %s/%s/%s%n", options.runs(),
                report.figure(name + "/latency", "crossing -> request p50 ms"),
                report.figure(name + "/latency", "crossing -> request p99 ms"),
                report.figure(name + "/latency", "crossing -> request p99.9 ms"));
        out.printf("  PostgreSQL peer %s events/s, usage -> commit p50/p99/p99.9 ms %s/%s/%s%n",
                report.figure(name + "/postgres peer", "events/s"),
                report.figure(name + "/postgres peer", "usage -> commit p50 ms"),
                report.figure(name + "/postgres peer", "usage -> commit p99 ms"),
                report.figure(name + "/postgres peer", "usage -> commit p99.9 ms"));
    }

    private Object cpuFigure(String section, String group) {
        return report.figure(section, "CPU microseconds per usage event, by thread group") instanceof Map<?, ?> byGroup
                ? byGroup.get(group) : null;
    }

    private List<AccountSettings> allSettings(Instant now) {
        List<AccountSettings> all = new ArrayList<>(SeedData.accounts(options.accounts(), now));
        for (int i = 1; i <= options.latencyAccounts(); i++) {
            all.add(LatencyProbe.account(LatencyProbe.accountId(i), now));
        }
        return all;
    }

    /** The pre-loaded usage: the same events for the topology and for the peer. */
    private UsageGenerator throughputUsage(Workload workload) {
        return new UsageGenerator(workload.accounts().apply(options.accounts()), SeedData::accountId, "bench", 42);
    }

    private UsageGenerator latencyUsage(Workload workload, int run) {
        return new UsageGenerator(workload.accounts().apply(options.latencyAccounts()), LatencyProbe::accountId,
                "latency-" + run, 42 + run);
    }

    private static double loadAverage() {
        return round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** The worker against the simulator at its latency and a rate limit, on a broker of its own. */
    private void worker() throws InterruptedException {
        out.printf("worker: %,d requests, gateway latency %d ms, rate limit %d/s ...%n", options.workerRequests(),
                options.gatewayLatencyMs(), options.gatewayRateLimit());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(options.dataDir().resolve("kafka-worker"));
             Admin admin = kafka.admin();
             GatewaySimulator gateway = GatewaySimulator.start(0, SimulatorSettings.defaults().toBuilder()
                     .latencyMs(options.gatewayLatencyMs()).build())) {
            new ProvisionTopics(admin).apply(TopicDefinitions.all(options.partitions(), (short) 1));
            try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                for (int i = 1; i <= options.workerRequests(); i++) {
                    RechargeRequest request = workerRequest(i);
                    send(producer, Topics.RECHARGE_REQUESTS.name(), request.getAccountId(),
                            Topics.RECHARGE_REQUESTS.valueSerde().serializer().serialize(null, request));
                }
            }
            requireAllSent("recharge requests");
            Properties props = new Properties();
            props.setProperty(WorkerConfig.BOOTSTRAP_SERVERS.name(), kafka.bootstrapServers());
            props.setProperty(WorkerConfig.GATEWAY_BASE_URL.name(), gateway.baseUrl());
            props.setProperty(WorkerConfig.GATEWAY_API_KEY.name(), "sk_test_meterflow_bench");
            props.setProperty(WorkerConfig.GATEWAY_RATE_LIMIT.name(), Integer.toString(options.gatewayRateLimit()));
            props.setProperty(WorkerConfig.MAX_IN_FLIGHT.name(), "32");
            WorkerConfig config = WorkerConfig.from(props);
            long start = System.nanoTime();
            try (RechargeWorkerService worker = RechargeWorkerService.start(config,
                    new StripeGateway(config.gatewayApiKey(), gateway.baseUrl(), config.gatewayTimeout()))) {
                long deadline = start + TimeUnit.MINUTES.toNanos(30);
                while (ConsumerLag.of(admin, config.get(WorkerConfig.GROUP_ID), Topics.RECHARGE_REQUESTS.name()) != 0
                        && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(200);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Map<String, List<dev.meterflow.gatewaysim.Charge>> charges = gateway.successfulChargesByRequestId();
                long answered = answeredRequests(kafka.bootstrapServers());
                report.figure("worker", "requests/s", round(answered / seconds));
                report.figure("worker", "charges/s", round(charges.size() / seconds));
                report.figure("worker", "requests answered", answered);
                report.figure("worker", "duplicate charges", charges.values().stream().filter(c -> c.size() > 1).count());
            }
        }
    }

    private static String kafkaVersion() {
        Properties version = new Properties();
        try (var in = KafkaProducer.class.getClassLoader().getResourceAsStream("kafka/kafka-version.properties")) {
            if (in != null) {
                version.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return version.getProperty("version", "unknown");
    }

    /** Distinct requests with a committed payment result. */
    private static long answeredRequests(String bootstrap) {
        return TopicReader.readCommitted(bootstrap, Topics.PAYMENT_RESULTS.name()).stream()
                .map(record -> Topics.PAYMENT_RESULTS.valueSerde().deserializer()
                        .deserialize(record.topic(), record.value()).getRequestId())
                .distinct().count();
    }

    private MeteringConfig meteringConfig(String bootstrap, Path stateDir) {
        Properties props = new Properties();
        props.setProperty(MeteringConfig.BOOTSTRAP_SERVERS.name(), bootstrap);
        props.setProperty(MeteringConfig.APPLICATION_ID.name(), METERING_APP);
        props.setProperty(MeteringConfig.STATE_DIR.name(), stateDir.toString());
        props.setProperty(MeteringConfig.COMMIT_INTERVAL_MS.name(), Integer.toString(options.commitIntervalMs()));
        props.setProperty(MeteringConfig.NUM_STREAM_THREADS.name(), Integer.toString(options.streamThreads()));
        props.putAll(options.meteringProperties());
        if (options.storeMetrics()) {
            // store metrics are recorded at DEBUG only, which times every store call: hence an option
            props.setProperty(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "DEBUG");
        }
        return MeteringConfig.from(props);
    }

    private static RechargeRequest workerRequest(int index) {
        String account = String.format("bench-w-%05d", index);
        AccountSettings settings = SeedData.accounts(1, Instant.now()).get(0);
        return RechargeRequest.newBuilder()
                .setRequestId("rr-" + account + "-1")
                .setAccountId(account)
                .setReason(RechargeReason.AUTO_RECHARGE)
                .setAmountCents(3_500)
                .setCurrency("USD")
                .setPaymentMethods(settings.getPaymentMethods())
                .setBalanceMicros(Money.dollarsToMicros(14))
                .setThresholdMicros(Money.dollarsToMicros(15))
                .setTargetMicros(Money.dollarsToMicros(49))
                .setRequestedAt(Instant.now())
                .setBillingEmails(settings.getBillingEmails())
                .build();
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(producerSettings(bootstrap), new StringSerializer(), new ByteArraySerializer());
    }

    /** The harness's producers: the pre-load, the producer-only run, the latency runs. */
    private static Properties producerSettings(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        return props;
    }

    private final java.util.concurrent.atomic.AtomicLong failedSends = new java.util.concurrent.atomic.AtomicLong();

    private void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                failedSends.incrementAndGet();
            }
        });
    }

    private void requireAllSent(String what) {
        if (failedSends.get() > 0) {
            throw new IllegalStateException(failedSends.get() + " records of the " + what + " were not written");
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static long directorySize(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
