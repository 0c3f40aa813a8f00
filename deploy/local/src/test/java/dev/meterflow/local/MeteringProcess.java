package dev.meterflow.local;

import dev.meterflow.config.AppConfig;
import dev.meterflow.metering.MeteringApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The metering app's {@code main} in a child JVM on the test's class path, so that a test can stop it the way
 * a crash does: SIGKILL, which runs no shutdown hook, commits nothing, and leaves the consumer group and any
 * open transaction behind. (In-process, Kafka Streams has no such stop: {@code KafkaStreams.close(Duration.ZERO)}
 * only stops waiting; its threads still shut down cleanly, committing what they processed.)
 */
final class MeteringProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private MeteringProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code metering-topology --config <file>} with these settings; its output goes to {@code log}. */
    static MeteringProcess start(Properties settings, Path workDir, Path log) {
        try {
            Path config = workDir.resolve("metering.properties");
            try (Writer writer = Files.newBufferedWriter(config)) {
                settings.store(writer, "metering app in a child JVM");
            }
            Files.createDirectories(log.toAbsolutePath().getParent());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"),
                    MeteringApp.class.getName(), "--config", config.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // only the file configures it: no METERFLOW_* variable of this environment may override it
            builder.environment().keySet().removeIf(name -> name.startsWith(AppConfig.ENV_PREFIX));
            return new MeteringProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the metering app in a child JVM", e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Fails with the child's output if it is not running (for example it could not start). */
    void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError("the metering child JVM exited with " + process.exitValue() + ":\n" + output());
        }
    }

    /** SIGSTOP: the process does nothing more (no poll, no heartbeat, no commit) until {@link #thaw()}. */
    void freeze() {
        signal("STOP");
    }

    /** SIGCONT: a frozen process carries on. */
    void thaw() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send SIG" + signal + " to pid " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal, e);
        }
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the metering child JVM pid=" + process.pid() + " did not die");
        }
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
