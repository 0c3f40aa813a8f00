package dev.meterflow.local.bench;

import dev.meterflow.config.AppConfig;
import dev.meterflow.metering.MeteringApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A metering instance ({@link MeteringApp}) in a JVM of its own, so that it can be killed as an operating system
 * kills it: SIGKILL runs no shutdown hook, commits nothing, leaves the group and an open transaction behind.
 * (The fault suite's {@code faults.ChildJvm} does more; the bench keeps to its own package's needs.)
 */
final class MeteringProcess implements AutoCloseable {

    /** Instances still running when this JVM exits (Ctrl-C, a test's timeout) are killed with it. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "metering-process-reaper"));
    }

    private final String name;
    private final Path log;
    private final Process process;

    private MeteringProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code MeteringApp --config <config>} on this JVM's class path, its output appended to {@code log}. */
    static MeteringProcess start(String name, Path config, Path log, String maxHeap) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-Dlogback.configurationFile=logback-child.xml",
                "-cp", System.getProperty("java.class.path"), MeteringApp.class.getName(), "--config", config.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // only the configuration file configures it, not this process's METERFLOW_* variables
        builder.environment().keySet().removeIf(variable -> variable.startsWith(AppConfig.ENV_PREFIX));
        try {
            Process process = builder.start();
            RUNNING.add(process);
            return new MeteringProcess(name, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    Path log() {
        return log;
    }

    /** Fails, with the end of its log, if it is no longer running. */
    void assertAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " is not running (exit " + process.exitValue() + "); end of "
                    + log + ":\n" + tail(30));
        }
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " pid " + process.pid() + " did not die on SIGKILL");
        }
        RUNNING.remove(process);
    }

    /** SIGTERM (a clean close); SIGKILL if it has not exited within a minute. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
        RUNNING.remove(process);
    }

    long logSize() throws IOException {
        return Files.size(log);
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
