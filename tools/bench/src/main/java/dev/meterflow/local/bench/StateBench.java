package dev.meterflow.local.bench;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.local.stack.ConsumerLag;
import dev.meterflow.local.stack.SeedData;
import dev.meterflow.local.stack.UsageGenerator;
import dev.meterflow.local.topics.ProvisionTopics;
import dev.meterflow.local.topics.TopicDefinitions;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.metering.topology.MeteringTopology;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Issue 13 §4: what the metering state costs. Loads accounts and usage through the real topology on an embedded
 * broker and measures its RocksDB stores on disk (bytes per account, per retained event id); wipes the state and
 * times its restore from the changelogs; then runs two metering instances as processes of their own, kills one
 * with SIGKILL under a steady load and times until its partitions produce again on the other, with a standby
 * replica and without ({@link FailoverRun}). Prints a table and writes JSON; measures, never judges.
 */
public final class StateBench {

    /**
     * @param failoverRate   usage events a second during the fail-over runs
     * @param sessionTimeout the instances' {@code session.timeout.ms}: a killed static member's tasks wait this long
     */
    public record Options(int accounts, int events, int partitions, int streamThreads, int failoverRate,
                          Duration sessionTimeout, Path dataDir, Path json) {
    }

    static final String APPLICATION_ID = "bench-state-metering";
    /** The dedup store keeps event ids, not accounts: its bytes are divided by the ids it retains. */
    static final String DEDUP_STORE = "dedup-store";

    private final Options options;
    private final PrintStream out;
    private final BenchReport report = new BenchReport();
    private final AtomicLong failedSends = new AtomicLong();

    public StateBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public BenchReport run() throws Exception {
        if (options.accounts() < 1 || options.events() < 1 || options.failoverRate() < 1) {
            throw new IllegalArgumentException("--accounts, --events and --failover-rate must be at least 1");
        }
        describe();
        deleteRecursively(options.dataDir());
        Path stateDir = options.dataDir().resolve("state");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(options.dataDir().resolve("kafka"));
             Admin admin = kafka.admin()) {
            new ProvisionTopics(admin).apply(TopicDefinitions.all(options.partitions(), (short) 1));
            load(kafka.bootstrapServers(), admin, stateDir);
            sizes(stateDir);
            restore(kafka.bootstrapServers(), admin, stateDir);
            FailoverRun failover = new FailoverRun(kafka.bootstrapServers(), admin, stateDir, options, report, out);
            failover.run(1);
            failover.run(0);
        }
        report.setting("load average at end (1, 5, 15 min)", loadAverages());
        report.print(out);
        report.writeJson(options.json());
        out.println("figures written to " + options.json());
        return report;
    }

    private void describe() {
        report.setting("machine", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        report.setting("load average at start (1, 5, 15 min)", loadAverages());
        report.setting("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        report.setting("date", Instant.now().toString());
        report.setting("accounts", options.accounts());
        report.setting("usage events", options.events());
        report.setting("partitions", options.partitions());
        report.setting("stream threads (load and restore)", options.streamThreads());
        report.setting("processing.guarantee", "exactly_once_v2");
        report.setting("fail-over usage events/s", options.failoverRate());
        report.setting("fail-over session.timeout.ms", options.sessionTimeout().toMillis());
    }

    /** The accounts' settings, then their usage, through the topology; closed cleanly (memtables flushed). */
    private void load(String bootstrap, Admin admin, Path stateDir) throws InterruptedException {
        Instant now = Instant.now().minusSeconds(120);
        KafkaStreams streams = streams(bootstrap, stateDir, null);
        try {
            streams.start();
            long start = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = Bench.producer(bootstrap)) {
                send(producer, Topics.RATE_CARDS.name(), SeedData.RATE_PLAN,
                        Topics.RATE_CARDS.valueSerde().serializer().serialize(null, SeedData.rateCard(now)));
                for (AccountSettings settings : SeedData.accounts(options.accounts(), now)) {
                    send(producer, Topics.ACCOUNT_SETTINGS.name(), settings.getAccountId(),
                            Topics.ACCOUNT_SETTINGS.valueSerde().serializer().serialize(null, settings));
                }
            }
            awaitCaughtUp(admin, streams, Topics.ACCOUNT_SETTINGS.name());
            report.figure("load", "settings taken in (s)", round((System.nanoTime() - start) / 1e9));
            start = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = Bench.producer(bootstrap)) {
                UsageGenerator usage = new UsageGenerator(options.accounts(), "state", 42);
                for (int i = 0; i < options.events(); i++) {
                    UsageEvent event = usage.next(now.plusSeconds(60));
                    send(producer, Topics.USAGE_EVENTS.name(), event.getAccountId(),
                            Topics.USAGE_EVENTS.valueSerde().serializer().serialize(null, event));
                }
            }
            awaitCaughtUp(admin, streams, Topics.USAGE_EVENTS.name());
            report.figure("load", "usage metered (s)", round((System.nanoTime() - start) / 1e9));
            report.figure("load", "usage events debited", counter(streams, "usage-debited-total"));
            report.figure("load", "usage events skipped as duplicates", counter(streams, "usage-duplicate-total"));
            out.printf("loaded %,d accounts and %,d usage events%n", options.accounts(), options.events());
        } finally {
            close(streams);
        }
    }

    /** Bytes on disk per store after the clean close, then after a full compaction; per account and per id. */
    private void sizes(Path stateDir) {
        Set<String> stores = storeNames();
        long debited = ((Number) report.figure("load", "usage events debited")).longValue();
        Map<String, Long> flushed = StoreSizes.sstBytes(stateDir, stores);
        int databases = StoreSizes.compactAll(stateDir);
        Map<String, Long> compacted = StoreSizes.sstBytes(stateDir, stores);
        report.setting("RocksDB databases compacted", databases);
        long perAccountFlushed = 0;
        long perAccountCompacted = 0;
        for (String store : stores) {
            long before = flushed.getOrDefault(store, 0L);
            long after = compacted.getOrDefault(store, 0L);
            String section = "state bytes/" + store;
            report.figure(section, "SST bytes after the clean close", before);
            report.figure(section, "SST bytes after a full compaction", after);
            if (store.equals(DEDUP_STORE)) {
                StateFigures.bytesPer(after, debited).ifPresent(bytes ->
                        report.figure(section, "bytes per retained event id (compacted)", bytes));
            } else if (!store.contains("global")) {
                perAccountFlushed += before;
                perAccountCompacted += after;
                StateFigures.bytesPer(after, options.accounts()).ifPresent(bytes ->
                        report.figure(section, "bytes per account (compacted)", bytes));
            }
        }
        StateFigures.bytesPer(perAccountFlushed, options.accounts()).ifPresent(bytes ->
                report.figure("state per account", "bytes per account, account-keyed stores, after the clean close",
                        bytes));
        StateFigures.bytesPer(perAccountCompacted, options.accounts()).ifPresent(bytes ->
                report.figure("state per account", "bytes per account, account-keyed stores, compacted", bytes));
        StateFigures.bytesPer(compacted.getOrDefault(DEDUP_STORE, 0L), debited).ifPresent(bytes ->
                report.figure("state per account", "bytes per retained event id (dedup-store), compacted", bytes));
    }

    /** The state directory is wiped; a new instance restores every store from its changelog. */
    private void restore(String bootstrap, Admin admin, Path stateDir) throws Exception {
        deleteRecursively(stateDir);
        Set<TopicPartition> changelogs = changelogsWithData(admin);
        out.printf("restore: state wiped, restoring %d changelog partitions ...%n", changelogs.size());
        RestoreTimes times = new RestoreTimes();
        long start = System.nanoTime();
        KafkaStreams streams = streams(bootstrap, stateDir, times);
        try {
            streams.start();
            long deadline = start + TimeUnit.MINUTES.toNanos(60);
            while (streams.state() != KafkaStreams.State.RUNNING || !times.finished().containsAll(changelogs)) {
                if (streams.state() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the topology did not restore (state " + streams.state() + ")");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long records = 0;
            for (Map.Entry<String, RestoreTimes.StoreRestore> store : times.byStore().entrySet()) {
                String section = "restore by store/" + store.getKey();
                report.figure(section, "records", store.getValue().records());
                report.figure(section, "seconds", round(store.getValue().seconds()));
                records += store.getValue().records();
            }
            report.figure("restore", "changelog partitions", changelogs.size());
            report.figure("restore", "records restored", records);
            report.figure("restore", "seconds from start to running, every store restored", round(seconds));
            report.figure("restore", "seconds from the first store's restore start to the last one's end",
                    round(times.span()));
            report.figure("restore", "records/s", StateFigures.perSecond(records, seconds));
            report.figure("restore", "seconds per million accounts",
                    StateFigures.secondsPerMillion(seconds, options.accounts()));
            out.printf("restore: %,d records in %.1f s%n", records, seconds);
        } finally {
            close(streams);
        }
    }

    /**
     * A clean close (memtables flushed, checkpoints written) that leaves the group: Kafka Streams does not leave
     * on a plain close, and the next instance would wait out this one's session timeout before it got any task.
     */
    private static void close(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofMinutes(5)));
    }

    private KafkaStreams streams(String bootstrap, Path stateDir, RestoreTimes restores) {
        MeteringConfig config = config(bootstrap, stateDir);
        KafkaStreams streams = new KafkaStreams(MeteringTopology.build(config), config.streamsProperties());
        if (restores != null) {
            streams.setGlobalStateRestoreListener(restores);
        }
        return streams;
    }

    private MeteringConfig config(String bootstrap, Path stateDir) {
        Properties props = new Properties();
        props.setProperty(MeteringConfig.BOOTSTRAP_SERVERS.name(), bootstrap);
        props.setProperty(MeteringConfig.APPLICATION_ID.name(), APPLICATION_ID);
        props.setProperty(MeteringConfig.STATE_DIR.name(), stateDir.toString());
        props.setProperty(MeteringConfig.NUM_STREAM_THREADS.name(), Integer.toString(options.streamThreads()));
        return MeteringConfig.from(props);
    }

    /** The topology's stores, by name (global ones included). */
    private Set<String> storeNames() {
        Topology topology = MeteringTopology.build(config("localhost:9092", options.dataDir()));
        Set<String> names = new TreeSet<>();
        topology.describe().subtopologies().forEach(subtopology -> subtopology.nodes().stream()
                .filter(node -> node instanceof TopologyDescription.Processor)
                .forEach(node -> names.addAll(((TopologyDescription.Processor) node).stores())));
        topology.describe().globalStores().forEach(global -> names.addAll(global.processor().stores()));
        return names;
    }

    private Set<TopicPartition> changelogsWithData(Admin admin) throws Exception {
        Set<String> changelogs = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(topic -> topic.startsWith(APPLICATION_ID + "-") && topic.endsWith("-changelog"))
                .collect(Collectors.toSet());
        Set<TopicPartition> partitions = new HashSet<>();
        admin.describeTopics(changelogs).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, description) ->
                description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .filter(end -> end.getValue().offset() > 0).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    private void awaitCaughtUp(Admin admin, KafkaStreams streams, String topic) throws InterruptedException {
        if (failedSends.get() > 0) {
            throw new IllegalStateException(failedSends.get() + " records of the load were not written");
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(60);
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long lag;
        while ((lag = ConsumerLag.of(admin, APPLICATION_ID, topic)) != 0) {
            if (streams.state() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
                throw new IllegalStateException("the metering topology did not catch up on " + topic + " (state "
                        + streams.state() + ")");
            }
            if (System.nanoTime() > nextReport) {
                out.printf("  %s: %,d records still to process%n", topic, lag);
                nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** One of the topology's own counters, summed over its tasks. */
    private static long counter(KafkaStreams streams, String name) {
        return Math.round(streams.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().group().equals("meterflow-metering")
                        && metric.getKey().name().equals(name))
                .mapToDouble(metric -> ((Number) metric.getValue().metricValue()).doubleValue()).sum());
    }

    private void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                failedSends.incrementAndGet();
            }
        });
    }

    static String loadAverages() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException e) {
            return Double.toString(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static void deleteRecursively(Path dir) {
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
