package dev.meterflow.local.bench;

import dev.meterflow.local.stack.UsageGenerator;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Two metering instances, each a JVM of its own and a static member, on copies of a restored state directory,
 * under a steady usage load; one is killed with SIGKILL (no close, no leave, its transaction left open), and the
 * run times, for each partition it had, how long until an output record of an input sent after the kill is
 * visible to a {@code read_committed} reader: that is the survivor producing for the moved task.
 */
final class FailoverRun {

    private static final String SURVIVOR = "metering-a";
    private static final String VICTIM = "metering-b";
    /** Stream threads per instance: one, so the two instances share the partitions. */
    private static final String INSTANCE_THREADS = "1";
    private static final Pattern RESTORED = Pattern.compile("restore finished store='[^']*' changelog=\\S+ records=(\\d+)");

    private final String bootstrap;
    private final Admin admin;
    private final Path restoredState;
    private final StateBench.Options options;
    private final BenchReport report;
    private final PrintStream out;

    FailoverRun(String bootstrap, Admin admin, Path restoredState, StateBench.Options options, BenchReport report,
                PrintStream out) {
        this.bootstrap = bootstrap;
        this.admin = admin;
        this.restoredState = restoredState;
        this.options = options;
        this.report = report;
        this.out = out;
    }

    /** One kill with {@code standbys} standby replicas per task. */
    void run(int standbys) throws Exception {
        String section = "fail-over/standby replicas " + standbys;
        out.printf("fail-over: two instances, num.standby.replicas=%d ...%n", standbys);
        Path dir = options.dataDir().resolve("failover-standby-" + standbys);
        OutputWatch watch = new OutputWatch();
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread load = new Thread(() -> load(standbys, loading), "failover-load");
        Thread watcher = new Thread(() -> watch.run(bootstrap, loading), "failover-watch");
        try (MeteringProcess survivor = instance(SURVIVOR, dir, standbys);
             MeteringProcess victim = instance(VICTIM, dir, standbys)) {
            long loadStart = System.currentTimeMillis();
            load.start();
            watcher.start();
            Set<Integer> moved = awaitSteady(survivor, victim, watch, loadStart, standbys, dir);
            long mark = survivor.logSize();
            long killedAt = System.currentTimeMillis();
            victim.kill();
            // an input sent once the process is gone can only be processed by the survivor
            watch.killedAt(System.currentTimeMillis());
            out.printf("  killed %s (SIGKILL) owning usage-events partitions %s%n", VICTIM, moved);
            long deadline = System.nanoTime() + options.sessionTimeout().toNanos() + TimeUnit.MINUTES.toNanos(15);
            while (!watch.firstAfterKill().keySet().containsAll(moved)) {
                survivor.assertAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("partitions " + moved + " produced nothing on the survivor; "
                            + "produced: " + watch.firstAfterKill().keySet());
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            Map<Integer, Long> firstOutputs = watch.firstAfterKill().entrySet().stream()
                    .filter(entry -> moved.contains(entry.getKey()))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            Map<Integer, Double> seconds = StateFigures.secondsUntilOutput(killedAt, firstOutputs);
            report.figure(section, "moved partitions", moved.toString());
            report.figure(section, "seconds until output, by partition", seconds.toString());
            StateFigures.slowest(seconds).ifPresent(slowest ->
                    report.figure(section, "seconds until every moved partition produced", StateBench.round(slowest)));
            report.figure(section, "records the survivor restored after the kill", restoredSince(survivor, mark));
            out.printf("  moved partitions produced again after %s s%n", seconds.values());
        } finally {
            loading.set(false);
            load.join(TimeUnit.SECONDS.toMillis(30));
            watcher.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    /**
     * Both instances processing: a stable group of two, each with partitions, output on every partition since the
     * load began and, without standbys, no task's state on both instances (the cleaner has removed the copies
     * each does not own, so the survivor has nothing of the victim's tasks to start from).
     *
     * @return the victim's usage-events partitions
     */
    private Set<Integer> awaitSteady(MeteringProcess survivor, MeteringProcess victim, OutputWatch watch, long loadStart,
                                     int standbys, Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            survivor.assertAlive();
            victim.assertAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the two instances did not settle; ends of their logs:\n"
                        + survivor.tail(20) + "\n" + victim.tail(20));
            }
            Map<String, Set<Integer>> assigned = assignment();
            boolean settled = assigned.getOrDefault(SURVIVOR, Set.of()).size() > 0
                    && assigned.getOrDefault(VICTIM, Set.of()).size() > 0
                    && watch.producingSince(loadStart) == options.partitions()
                    && (standbys > 0 || Collections.disjoint(taskDirs(dir, SURVIVOR), taskDirs(dir, VICTIM)));
            if (settled) {
                return assigned.get(VICTIM);
            }
            if (System.nanoTime() > nextReport) {
                out.printf("  waiting for both instances to process: partitions by instance %s, partitions with "
                        + "output %d of %d%n", assigned, watch.producingSince(loadStart), options.partitions());
                nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /** Group instance id → its usage-events partitions, once the group is stable; empty otherwise. */
    private Map<String, Set<Integer>> assignment() throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(StateBench.APPLICATION_ID))
                .describedGroups().get(StateBench.APPLICATION_ID).get(10, TimeUnit.SECONDS);
        if (group.groupState() != GroupState.STABLE) {
            return Map.of();
        }
        Map<String, Set<Integer>> assigned = new ConcurrentHashMap<>();
        for (MemberDescription member : group.members()) {
            // Kafka Streams names each stream thread's member <group.instance.id>-<thread>
            member.groupInstanceId().ifPresent(name -> assigned.computeIfAbsent(name.replaceFirst("-\\d+$", ""),
                    instance -> ConcurrentHashMap.newKeySet()).addAll(member.assignment().topicPartitions().stream()
                    .filter(p -> p.topic().equals(Topics.USAGE_EVENTS.name())).map(TopicPartition::partition)
                    .toList()));
        }
        return assigned;
    }

    private MeteringProcess instance(String name, Path dir, int standbys) {
        Path state = dir.resolve(name);
        copyState(restoredState, state);
        Properties config = new Properties();
        config.setProperty("bootstrap.servers", bootstrap);
        config.setProperty("application.id", StateBench.APPLICATION_ID);
        config.setProperty("client.id", name);
        config.setProperty("state.dir", state.toString());
        config.setProperty("num.stream.threads", INSTANCE_THREADS);
        config.setProperty("num.standby.replicas", Integer.toString(standbys));
        config.setProperty("group.instance.id", name);
        config.setProperty("session.timeout.ms", Long.toString(options.sessionTimeout().toMillis()));
        // both start from the same copy: any of them may take any task at once, so the load spreads at once
        config.setProperty("acceptable.recovery.lag", Long.toString(Long.MAX_VALUE));
        // the copies of the tasks an instance does not own go within seconds: without standbys the survivor must
        // not find the victim's state left over from the copy
        config.setProperty("state.cleanup.delay.ms", "1000");
        Path file = dir.resolve(name + ".properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            config.store(writer, name + " in bench-state's fail-over run");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return MeteringProcess.start(name, file, dir.resolve(name + ".log"), "1g");
    }

    /** Usage at a steady rate over every account, stamped with the time it is sent. */
    private void load(int standbys, AtomicBoolean loading) {
        UsageGenerator usage = new UsageGenerator(options.accounts(), "failover-" + standbys, 7 + standbys);
        long interval = TimeUnit.SECONDS.toNanos(1) / options.failoverRate();
        long next = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = Bench.producer(bootstrap)) {
            while (loading.get()) {
                UsageEvent event = usage.next(Instant.now());
                producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), event.getAccountId(),
                        Topics.USAGE_EVENTS.valueSerde().serializer().serialize(null, event)));
                next += interval;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }
    }

    /** Records restored into the survivor's active stores after {@code mark} of its log. */
    private static long restoredSince(MeteringProcess instance, long mark) throws IOException {
        byte[] log = Files.readAllBytes(instance.log());
        String since = new String(log, (int) Math.min(mark, log.length), (int) Math.max(0, log.length - mark),
                StandardCharsets.UTF_8);
        long records = 0;
        Matcher matcher = RESTORED.matcher(since);
        while (matcher.find()) {
            records += Long.parseLong(matcher.group(1));
        }
        return records;
    }

    /** The task directories ({@code 0_1}, ...) in an instance's state directory. */
    private static Set<String> taskDirs(Path dir, String instance) {
        Path app = dir.resolve(instance).resolve(StateBench.APPLICATION_ID);
        if (!Files.isDirectory(app)) {
            return Set.of();
        }
        try (Stream<Path> tasks = Files.list(app)) {
            return tasks.map(task -> task.getFileName().toString()).filter(name -> name.matches("\\d+_\\d+"))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of the restored, cleanly closed state directory, without its process id: two instances with the
     * same id would be one client to the assignor.
     */
    private static void copyState(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                String name = source.getFileName().toString();
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!name.equals("kafka-streams-process-metadata") && !name.endsWith(".lock")) {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the state directory " + from + " to " + to, e);
        }
    }

    /** Reads the ledger as it commits: per partition, when output was first seen since a time. */
    static final class OutputWatch {

        private final Map<Integer, Long> latestInputTime = new ConcurrentHashMap<>();
        private final Map<Integer, Long> firstAfterKill = new ConcurrentHashMap<>();
        private volatile long killedAt = Long.MAX_VALUE;

        void killedAt(long millis) {
            killedAt = millis;
        }

        Map<Integer, Long> firstAfterKill() {
            return Map.copyOf(firstAfterKill);
        }

        /** Partitions with output of an input sent at or after {@code millis}. */
        long producingSince(long millis) {
            return latestInputTime.values().stream().filter(time -> time >= millis).count();
        }

        /** The ledger entry's timestamp is its usage event's, which the producer stamped when it sent it. */
        void record(int partition, long inputTime, long seenAt) {
            latestInputTime.merge(partition, inputTime, Math::max);
            if (inputTime > killedAt) {
                firstAfterKill.putIfAbsent(partition, seenAt);
            }
        }

        void run(String bootstrap, AtomicBoolean running) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            try (KafkaConsumer<byte[], byte[]> consumer =
                         new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.LEDGER_ENTRIES.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        record(record.partition(), record.timestamp(), System.currentTimeMillis());
                    }
                }
            }
        }
    }
}
