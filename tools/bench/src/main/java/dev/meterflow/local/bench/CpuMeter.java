package dev.meterflow.local.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CPU time this JVM's threads spent between two moments, by {@link CpuGroup}, with no profiler: every live
 * thread's CPU time ({@code ThreadMXBean}) and the process's ({@code OperatingSystemMXBean}) at each moment. What
 * the process spent outside its Java threads (garbage collection, the JIT compilers, threads that ended in
 * between) is the difference. On Linux it also reads how busy the whole machine was ({@code /proc/stat}), so a
 * figure taken on a shared machine says how much of it the harness had.
 */
final class CpuMeter {

    /** GC, the JIT compilers (hidden from the MXBean) and RocksDB's own background threads: none a Java thread. */
    static final String OUTSIDE_JAVA_THREADS = "JVM outside Java threads (GC, JIT compilers, RocksDB background)";
    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** One moment: wall clock, the process's CPU time, each live thread's name and CPU time, the machine's ticks. */
    record Snapshot(long wallNanos, long processCpuNanos, Map<Long, ThreadTime> threads,
                    Optional<MachineTicks> machine) {
    }

    record ThreadTime(String name, long cpuNanos) {
    }

    /** From the first line of {@code /proc/stat}: all ticks, and those the machine was busy (not idle, not iowait). */
    record MachineTicks(long total, long busy) {
    }

    /** The CPU spent between two snapshots: per group, by the process in all, and by the machine. */
    record Usage(double wallSeconds, Map<CpuGroup, Long> cpuNanosByGroup, long processCpuNanos,
                 Optional<Double> machineBusyShare) {

        /** The process's CPU outside every Java thread that was alive at the end: GC, JIT, ended threads. */
        long outsideJavaThreadsNanos() {
            return Math.max(0, processCpuNanos - cpuNanosByGroup.values().stream().mapToLong(Long::longValue).sum());
        }

        /** Microseconds of CPU per event, by group (labelled with {@code app}), then outside threads, then all. */
        Map<String, Double> microsPerEvent(long events, String app) {
            Map<String, Double> perEvent = new LinkedHashMap<>();
            double divisor = Math.max(1, events) * 1_000.0;
            cpuNanosByGroup.forEach((group, nanos) -> perEvent.put(group.label(app), round(nanos / divisor)));
            perEvent.put(OUTSIDE_JAVA_THREADS, round(outsideJavaThreadsNanos() / divisor));
            perEvent.put("whole JVM", round(processCpuNanos / divisor));
            return perEvent;
        }

        /** Cores this JVM kept busy on average. */
        double jvmCores() {
            return round(processCpuNanos / 1e9 / Math.max(1e-9, wallSeconds));
        }

        /** Cores the whole machine kept busy on average (every process), if known. */
        Optional<Double> machineCores(int cores) {
            return machineBusyShare.map(share -> round(share * cores));
        }
    }

    private CpuMeter() {
    }

    static Snapshot snapshot() {
        long[] ids = THREADS.getAllThreadIds();
        long[] cpu = THREADS.getThreadCpuTime(ids);
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        Map<Long, ThreadTime> threads = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && cpu[i] >= 0) {
                threads.put(ids[i], new ThreadTime(infos[i].getThreadName(), cpu[i]));
            }
        }
        return new Snapshot(System.nanoTime(), PROCESS.getProcessCpuTime(), threads, machineTicks());
    }

    /**
     * The CPU spent from {@code start} until now. A thread started in between counts from zero; one that ended in
     * between is lost to the per-thread sums and shows in {@link Usage#outsideJavaThreadsNanos()}.
     */
    static Usage since(Snapshot start, String appMarker) {
        return between(start, snapshot(), appMarker);
    }

    static Usage between(Snapshot start, Snapshot end, String appMarker) {
        Map<CpuGroup, Long> byGroup = new EnumMap<>(CpuGroup.class);
        for (CpuGroup group : CpuGroup.values()) {
            byGroup.put(group, 0L);
        }
        end.threads().forEach((id, thread) -> {
            ThreadTime before = start.threads().get(id);
            long spent = thread.cpuNanos() - (before == null ? 0 : before.cpuNanos());
            byGroup.merge(CpuGroup.of(thread.name(), appMarker), Math.max(0, spent), Long::sum);
        });
        Optional<Double> machine = start.machine().flatMap(from -> end.machine().map(to -> {
            long total = to.total() - from.total();
            return total <= 0 ? 0.0 : (double) (to.busy() - from.busy()) / total;
        }));
        return new Usage((end.wallNanos() - start.wallNanos()) / 1e9, byGroup,
                end.processCpuNanos() - start.processCpuNanos(), machine);
    }

    /** Parses the aggregate {@code cpu} line of {@code /proc/stat}; empty where there is none. */
    static Optional<MachineTicks> machineTicks(String procStatFirstLine) {
        String[] fields = procStatFirstLine.trim().split("\\s+");
        if (fields.length < 5 || !fields[0].equals("cpu")) {
            return Optional.empty();
        }
        long total = 0;
        // user, nice, system, idle, iowait, irq, softirq, steal; the guest times after them are inside user and nice
        for (int i = 1; i < Math.min(fields.length, 9); i++) {
            total += Long.parseLong(fields[i]);
        }
        long idle = Long.parseLong(fields[4]) + (fields.length > 5 ? Long.parseLong(fields[5]) : 0);
        return Optional.of(new MachineTicks(total, total - idle));
    }

    private static Optional<MachineTicks> machineTicks() {
        if (!Files.isReadable(PROC_STAT)) {
            return Optional.empty();
        }
        try (var lines = Files.lines(PROC_STAT)) {
            return lines.findFirst().flatMap(CpuMeter::machineTicks);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
