package dev.meterflow.local.faults;

import dev.meterflow.config.AppConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A Java main of this class path in a process of its own, so that a fault test can treat it the way an
 * operating system does: SIGKILL (no shutdown hook, nothing committed, the group and any open transaction left
 * behind), SIGSTOP / SIGCONT (a stall: no poll, no heartbeat, no commit, then a zombie waking up), and starting
 * it again with the same arguments. Its output is appended to a log file, which survives restarts.
 */
public final class ChildJvm {

    /** Every child started and not yet known dead: killed if this JVM exits first (Ctrl-C, a test timeout). */
    private static final Set<ChildJvm> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(child -> {
            Process process = child.process;
            if (process != null) {
                process.destroyForcibly();
            }
        }), "child-jvm-reaper"));
    }

    /** The children's logging: the apps' INFO lines, which the fault suite watches (restores, state changes). */
    private static final String LOGBACK = "logback-child.xml";

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private volatile Process process;
    private int starts;

    /**
     * @param mainClass   the main class, on this JVM's class path (a jar's manifest class path included)
     * @param environment variables to set; every {@code METERFLOW_*} variable of this process is removed first,
     *                    so that only the arguments and these configure the child
     */
    public ChildJvm(String name, String mainClass, List<String> args, Map<String, String> environment, Path log,
             String maxHeap) {
        this.name = name;
        this.environment = Map.copyOf(environment);
        this.log = log;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                // one logging set-up whatever the class path holds (a test's logback-test.xml would silence INFO)
                "-Dlogback.configurationFile=" + LOGBACK,
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        this.command = List.copyOf(command);
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running as pid " + process.pid());
        }
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().keySet().removeIf(variable -> variable.startsWith(AppConfig.ENV_PREFIX));
            builder.environment().putAll(environment);
            Files.writeString(log, String.format("%n===== %s start #%d =====%n", name, ++starts),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = builder.start();
            RUNNING.add(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " in a child JVM", e);
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** The exit code once the process has ended by itself or been stopped; empty while it runs. */
    public synchronized OptionalInt exitCode() {
        return process == null || process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Fails, with the end of the child's log, if it is not running (it could not start, or it died). */
    public synchronized void assertAlive() {
        if (!isAlive()) {
            throw new IllegalStateException(name + " is not running (exit " + (process == null ? "-" :
                    process.exitValue()) + "); end of " + log + ":\n" + tail(40));
        }
    }

    /** SIGKILL, and waits until the process is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(30);
    }

    /**
     * SIGTERM (shutdown hooks run: a clean close) and waits; SIGKILL if it has not exited in 60 s.
     *
     * @return whether it exited on SIGTERM alone
     */
    public synchronized boolean stop() {
        if (!isAlive()) {
            return true;
        }
        process.destroy();
        try {
            if (process.waitFor(60, TimeUnit.SECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
        return false;
    }

    /** The log's length now: a mark to search from with {@link #countSince}. */
    public long logSize() {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** How many lines written after {@code mark} contain {@code text}. */
    public long countSince(long mark, String text) {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
            long length = channel.size() - Math.min(mark, channel.size());
            ByteBuffer since = ByteBuffer.allocate((int) Math.min(length, Integer.MAX_VALUE - 8));
            channel.read(since, Math.min(mark, channel.size()));
            return new String(since.array(), 0, since.position(), StandardCharsets.UTF_8).lines()
                    .filter(line -> line.contains(text)).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** SIGSTOP: the process does nothing at all until {@link #thaw()}. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String signal) {
        long pid = pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " (" + name + ") failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send SIG" + signal + " to " + name + " pid " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal + " to " + name, e);
        }
    }

    private void awaitExit(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " pid " + process.pid() + " did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to exit", e);
        }
    }

    /** The last line of the log that contains {@code text}, or an empty string. */
    public String lastLineWith(String text) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = all.size() - 1; i >= 0; i--) {
                if (all.get(i).contains(text)) {
                    return all.get(i);
                }
            }
            return "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The last lines of the log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
