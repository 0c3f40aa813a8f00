package dev.meterflow.local.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a {@code bench} run's CPU went, from a Flight Recording of it ({@code -XX:StartFlightRecording=...,
 * settings=profile}), for each window of the run (a metering catch-up, say): the CPU time of each thread group
 * per usage event (from {@code jdk.ThreadCPULoad}, and the JVM's and the machine's from {@code jdk.CPULoad}), the
 * stream threads' samples by library and by step of their loop ({@link FrameCategory}), the broker's busiest
 * methods, allocation per event and garbage collection. Figures, not judgements; one pass over the file.
 */
final class JfrProfile {

    /** A span of the recording and the usage events handled in it. */
    record Window(String name, Instant start, Instant end, long events) {

        boolean contains(Instant at) {
            return !at.isBefore(start) && at.isBefore(end);
        }

        /** The part of {@code [from, to)} inside the window, in seconds. */
        double overlapSeconds(Instant from, Instant to) {
            Instant a = from.isAfter(start) ? from : start;
            Instant b = to.isBefore(end) ? to : end;
            return b.isAfter(a) ? Duration.between(a, b).toNanos() / 1e9 : 0;
        }

        double seconds() {
            return Duration.between(start, end).toNanos() / 1e9;
        }
    }

    private static final int TOP = 12;
    /** The measured application's group: a {@code bench} profile is read for the metering topology's threads. */
    static final String APP = CpuGroup.APP.label("stream threads");

    private final String appMarker;
    private final List<Window> windows;
    private final Map<Window, Figures> figures = new LinkedHashMap<>();
    /** The end of each thread's previous {@code jdk.ThreadCPULoad} period, by thread id. */
    private final Map<Long, Instant> lastThreadLoad = new HashMap<>();
    private Instant lastCpuLoad;
    private int cores = 1;

    JfrProfile(String appMarker, List<Window> windows) {
        this.appMarker = appMarker;
        this.windows = windows;
        windows.forEach(window -> figures.put(window, new Figures()));
    }

    /** The per-window tallies. */
    static final class Figures {
        final Map<String, Double> cpuSecondsByGroup = new LinkedHashMap<>();
        double jvmCpuSeconds;
        double machineCpuSeconds;
        final Map<String, Long> samplesByGroup = new LinkedHashMap<>();
        final Map<String, Long> appSelf = new HashMap<>();
        final Map<String, Long> appStep = new HashMap<>();
        final Map<String, Long> appTopFrames = new HashMap<>();
        final Map<String, Long> appNative = new HashMap<>();
        final Map<String, Long> brokerTopFrames = new HashMap<>();
        long appSamples;
        long appTruncated;
        final Map<String, Double> allocatedByGroup = new LinkedHashMap<>();
        final Map<String, Double> appAllocationSites = new HashMap<>();
        final Map<String, Double> appAllocatedClasses = new HashMap<>();
        long collections;
        double gcSeconds;
        double gcPauseSeconds;
        double longestPauseMs;
    }

    /** Reads the whole recording (one file, or chunks concatenated) and tallies it into the windows. */
    JfrProfile read(Path recording) throws IOException {
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                accept(file.readEvent());
            }
        }
        return this;
    }

    /** The {@link BenchPhase} events of a recording, as windows. */
    static List<Window> phases(Path recording) throws IOException {
        List<Window> phases = new ArrayList<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (event.getEventType().getName().equals(BenchPhase.NAME)) {
                    phases.add(new Window(event.getString("workload") + ": " + event.getString("phase"),
                            event.getStartTime(), event.getEndTime(), event.getLong("events")));
                }
            }
        }
        phases.sort(Comparator.comparing(Window::start));
        return phases;
    }

    private void accept(RecordedEvent event) {
        switch (event.getEventType().getName()) {
            case "jdk.CPUInformation" -> cores = Math.max(1, event.getInt("hwThreads"));
            case "jdk.CPULoad" -> cpuLoad(event);
            case "jdk.ThreadStart" -> threadStart(event);
            case "jdk.ThreadCPULoad" -> threadCpuLoad(event);
            case "jdk.ExecutionSample" -> executionSample(event);
            case "jdk.NativeMethodSample" -> nativeSample(event);
            case "jdk.ObjectAllocationSample" -> allocation(event);
            case "jdk.GarbageCollection" -> garbageCollection(event);
            default -> {
            }
        }
    }

    /** The JVM's and the machine's load over the period since the previous one, as fractions of all cores. */
    private void cpuLoad(RecordedEvent event) {
        Instant end = event.getStartTime();
        Instant start = lastCpuLoad == null ? end.minusSeconds(1) : lastCpuLoad;
        lastCpuLoad = end;
        double jvm = event.getFloat("jvmUser") + event.getFloat("jvmSystem");
        double machine = event.getFloat("machineTotal");
        figures.forEach((window, tally) -> {
            double seconds = window.overlapSeconds(start, end) * cores;
            tally.jvmCpuSeconds += jvm * seconds;
            tally.machineCpuSeconds += machine * seconds;
        });
    }

    /** A thread's first CPU load covers the time since it started. */
    private void threadStart(RecordedEvent event) {
        RecordedThread thread = event.getThread("thread");
        if (thread != null) {
            lastThreadLoad.put(thread.getJavaThreadId(), event.getStartTime());
        }
    }

    /**
     * A thread's load since its previous one (or its start), as a fraction of all cores; a thread that was already
     * running when the recording began is taken to have run one period (10 s under {@code settings=profile}).
     */
    private void threadCpuLoad(RecordedEvent event) {
        RecordedThread thread = event.getThread();
        if (thread == null) {
            return;
        }
        Instant end = event.getStartTime();
        Instant start = lastThreadLoad.getOrDefault(thread.getJavaThreadId(), end.minusSeconds(10));
        lastThreadLoad.put(thread.getJavaThreadId(), end);
        double load = event.getFloat("user") + event.getFloat("system");
        String group = group(thread);
        figures.forEach((window, tally) -> tally.cpuSecondsByGroup.merge(group,
                load * cores * window.overlapSeconds(start, end), Double::sum));
    }

    private void executionSample(RecordedEvent event) {
        RecordedThread thread = event.getThread("sampledThread");
        Window window = windowOf(event.getStartTime());
        if (thread == null || window == null) {
            return;
        }
        Figures tally = figures.get(window);
        String group = group(thread);
        tally.samplesByGroup.merge(group, 1L, Long::sum);
        List<String> frames = frames(event.getStackTrace());
        if (group.equals(APP)) {
            tally.appSamples++;
            tally.appTruncated += event.getStackTrace() != null && event.getStackTrace().isTruncated() ? 1 : 0;
            tally.appSelf.merge(FrameCategory.self(frames), 1L, Long::sum);
            tally.appStep.merge(FrameCategory.step(frames), 1L, Long::sum);
            tally.appTopFrames.merge(FrameCategory.topFrame(frames), 1L, Long::sum);
        } else if (group.startsWith("broker")) {
            tally.brokerTopFrames.merge(FrameCategory.topFrame(frames), 1L, Long::sum);
        }
    }

    /** The stream threads' samples in native code: RocksDB's work, or waiting (not CPU). */
    private void nativeSample(RecordedEvent event) {
        RecordedThread thread = event.getThread("sampledThread");
        Window window = windowOf(event.getStartTime());
        if (thread == null || window == null || !group(thread).equals(APP)) {
            return;
        }
        List<String> frames = frames(event.getStackTrace());
        String top = frames.isEmpty() ? "unknown" : frames.get(0);
        figures.get(window).appNative.merge(top, 1L, Long::sum);
    }

    private void allocation(RecordedEvent event) {
        RecordedThread thread = event.getThread("eventThread");
        Window window = windowOf(event.getStartTime());
        if (thread == null || window == null) {
            return;
        }
        Figures tally = figures.get(window);
        double bytes = event.getLong("weight");
        String group = group(thread);
        tally.allocatedByGroup.merge(group, bytes, Double::sum);
        if (group.equals(APP)) {
            tally.appAllocationSites.merge(FrameCategory.topFrame(frames(event.getStackTrace())), bytes, Double::sum);
            tally.appAllocatedClasses.merge(event.getClass("objectClass").getName(), bytes, Double::sum);
        }
    }

    private void garbageCollection(RecordedEvent event) {
        Window window = windowOf(event.getStartTime());
        if (window == null) {
            return;
        }
        Figures tally = figures.get(window);
        tally.collections++;
        tally.gcSeconds += event.getDuration().toNanos() / 1e9;
        Duration pauses = event.getDuration("sumOfPauses");
        tally.gcPauseSeconds += pauses.toNanos() / 1e9;
        tally.longestPauseMs = Math.max(tally.longestPauseMs, event.getDuration("longestPause").toNanos() / 1e6);
    }

    private Window windowOf(Instant at) {
        for (Window window : windows) {
            if (window.contains(at)) {
                return window;
            }
        }
        return null;
    }

    private String group(RecordedThread thread) {
        String name = thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
        return CpuGroup.of(name == null ? "" : name, appMarker).label("stream threads");
    }

    private static List<String> frames(RecordedStackTrace stack) {
        if (stack == null) {
            return List.of();
        }
        List<String> frames = new ArrayList<>(stack.getFrames().size());
        for (RecordedFrame frame : stack.getFrames()) {
            frames.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
        }
        return frames;
    }

    /** The tallies of one window. */
    Figures figures(Window window) {
        return figures.get(window);
    }

    /** The figures of every window, as Markdown tables. */
    void print(PrintStream out) {
        figures.forEach((window, tally) -> new Printer(out, window, tally).print());
    }

    /** One window's tables. */
    private record Printer(PrintStream out, Window window, Figures tally) {

        void print() {
            out.printf("%n## %s: %s to %s (%.1f s), %,d usage events%n%n", window.name(), window.start(),
                    window.end(), window.seconds(), window.events());
            cpu();
            samples("Stream threads' samples in Java code, by the library of the top frame outside the JDK",
                    tally.appSelf, tally.appSamples, Function.identity());
            samples("Stream threads' samples in Java code, by step of the stream thread's loop", tally.appStep,
                    tally.appSamples, Function.identity());
            out.printf("(%,d of the %,d stream-thread samples have a stack truncated at the recording's depth.)%n%n",
                    tally.appTruncated, tally.appSamples);
            top("Stream threads' hottest methods outside the JDK (Java samples)", tally.appTopFrames,
                    tally.appSamples);
            top("Stream threads' samples in native code, by top frame (RocksDB's work, or waiting)",
                    tally.appNative, tally.appNative.values().stream().mapToLong(Long::longValue).sum());
            top("Broker threads' hottest methods outside the JDK (Java samples)", tally.brokerTopFrames,
                    tally.brokerTopFrames.values().stream().mapToLong(Long::longValue).sum());
            allocation();
            gc();
        }

        private void cpu() {
            double events = Math.max(1, window.events());
            out.println("| thread group | CPU s | CPU µs per usage event | Java samples |");
            out.println("|---|---:|---:|---:|");
            double javaThreads = 0;
            for (Map.Entry<String, Double> group : sortedByValue(tally.cpuSecondsByGroup)) {
                javaThreads += group.getValue();
                out.printf("| %s | %.1f | %.1f | %,d |%n", group.getKey(), group.getValue(),
                        group.getValue() * 1e6 / events, tally.samplesByGroup.getOrDefault(group.getKey(), 0L));
            }
            double outside = Math.max(0, tally.jvmCpuSeconds - javaThreads);
            out.printf("| JVM outside Java threads (GC, RocksDB background) | %.1f | %.1f | |%n", outside,
                    outside * 1e6 / events);
            out.printf("| **whole JVM** | %.1f | %.1f | |%n", tally.jvmCpuSeconds, tally.jvmCpuSeconds * 1e6 / events);
            out.printf("| the whole machine (every process) | %.1f | %.1f | |%n%n", tally.machineCpuSeconds,
                    tally.machineCpuSeconds * 1e6 / events);
        }

        private void samples(String title, Map<String, Long> counts, long total, Function<String, String> label) {
            out.println("| " + title + " | samples | share |");
            out.println("|---|---:|---:|");
            for (Map.Entry<String, Long> entry : sortedByValue(counts)) {
                out.printf("| %s | %,d | %.1f%% |%n", label.apply(entry.getKey()), entry.getValue(),
                        100.0 * entry.getValue() / Math.max(1, total));
            }
            out.println();
        }

        private void top(String title, Map<String, Long> counts, long total) {
            out.println("| " + title + " | samples | share |");
            out.println("|---|---:|---:|");
            sortedByValue(counts).stream().limit(TOP).forEach(entry -> out.printf("| `%s` | %,d | %.1f%% |%n",
                    entry.getKey(), entry.getValue(), 100.0 * entry.getValue() / Math.max(1, total)));
            out.println();
        }

        private void allocation() {
            double events = Math.max(1, window.events());
            out.println("| allocated (sampled estimate), by thread group | MB | bytes per usage event |");
            out.println("|---|---:|---:|");
            for (Map.Entry<String, Double> group : sortedByValue(tally.allocatedByGroup)) {
                out.printf("| %s | %,.0f | %,.0f |%n", group.getKey(), group.getValue() / 1e6,
                        group.getValue() / events);
            }
            out.println();
            double app = tally.allocatedByGroup.getOrDefault(APP, 0.0);
            for (Map<String, Double> byWhat : List.of(tally.appAllocationSites, tally.appAllocatedClasses)) {
                out.println(byWhat == tally.appAllocationSites
                        ? "| stream threads' allocation, by top frame outside the JDK | bytes per usage event | share |"
                        : "| stream threads' allocation, by class | bytes per usage event | share |");
                out.println("|---|---:|---:|");
                sortedByValue(byWhat).stream().limit(TOP).forEach(entry -> out.printf("| `%s` | %,.0f | %.1f%% |%n",
                        entry.getKey(), entry.getValue() / events, 100 * entry.getValue() / Math.max(1, app)));
                out.println();
            }
        }

        private void gc() {
            out.printf("Garbage collections: %d, %.2f s in all (%.1f%% of the window), pauses %.2f s, longest pause "
                            + "%.1f ms.%n", tally.collections, tally.gcSeconds,
                    100 * tally.gcSeconds / Math.max(1e-9, window.seconds()), tally.gcPauseSeconds,
                    tally.longestPauseMs);
        }

        private static <V extends Comparable<V>> List<Map.Entry<String, V>> sortedByValue(Map<String, V> map) {
            return map.entrySet().stream().sorted(Map.Entry.<String, V>comparingByValue().reversed()).toList();
        }
    }
}
