package dev.meterflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.local.stack.LocalStack;
import dev.meterflow.local.topics.ProvisionTopics;
import dev.meterflow.local.topics.TopicDefinitions;
import dev.meterflow.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, shortened: the whole pipeline runs and every invariant holds. */
class LocalStackIT {

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldRunTheWholePipelineAndKeepEveryInvariant() throws InterruptedException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        LocalStack stack = new LocalStack(new LocalStack.Options(12, 60, Duration.ofSeconds(8), null, dataDir, 2, 20),
                new PrintStream(output, true, StandardCharsets.UTF_8));

        LocalStack.Summary summary = stack.run();
        summary.print(new PrintStream(output, true, StandardCharsets.UTF_8));

        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(summary.ok()).as(printed).isTrue();
        assertThat(summary.debited()).isEqualTo(summary.distinctEvents()).isPositive();
        assertThat(summary.succeeded()).as("the seeded accounts start at $0 and recharge").isPositive();
        assertThat(summary.declined()).as("account 7's cards both decline").isPositive();
        assertThat(summary.charges()).isEqualTo(summary.receipts());
        assertThat(printed).contains("events/s", "all invariants hold");
    }

    /**
     * Issue 16, items 6 and 8: a second run on a kept data directory reports its own figures (its successful
     * results equal its own simulator's charges), and its live view survives a record it cannot decode.
     */
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void shouldReportTheRunsOwnFiguresOnAKeptDataDirectoryAndSurviveAnUndecodableRecord() throws Exception {
        run(Duration.ofSeconds(5));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.PAYMENT_RESULTS.name(), "acct-1".getBytes(),
                    "seven b".getBytes())).get();
        }

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        LocalStack.Summary second = run(Duration.ofSeconds(5), output);

        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(second.ok()).as(printed).isTrue();
        assertThat(second.undecodable()).as(printed).isPositive();
        assertThat(second.succeeded()).as("this run's successful results are this run's charges")
                .isEqualTo(second.charges());
    }

    /** Issue 16, item 6: the demo reprocessed a real cluster's inputs into its shared outputs. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldRefuseAnExistingClusterWhoseTopicsHoldData() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null)) {
            try (Admin admin = kafka.admin();
                 KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                         new ByteArraySerializer(), new ByteArraySerializer())) {
                new ProvisionTopics(admin).apply(TopicDefinitions.all(2, (short) 1));
                producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), "acct-1".getBytes(),
                        "an event".getBytes())).get();
            }
            StringWriter errors = new StringWriter();
            CommandLine meterflow = MeterflowCli.commandLine();
            meterflow.setErr(new PrintWriter(errors, true));

            int exit = meterflow.execute("local", "--bootstrap-servers", kafka.bootstrapServers(), "--data-dir",
                    dataDir.toString(), "--duration", "5s");

            assertThat(exit).isEqualTo(2);
            assertThat(errors.toString().strip()).startsWith("local: refusing to run against "
                    + kafka.bootstrapServers()).contains("usage-events=1").doesNotContain("\n");
            try (Admin admin = kafka.admin()) {
                assertThat(admin.listConsumerGroups().all().get()).as("no metering app was started").isEmpty();
            }
        }
    }

    /** Issue 16, item 8: after Ctrl-C the JVM exited 130 whatever the checks found. */
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldExitWithWhatTheChecksFoundAfterCtrlC() throws Exception {
        Path log = dataDir.resolve("local.log");
        Process local = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                MeterflowCli.class.getName(), "local", "--accounts", "6", "--rate", "20", "--partitions", "1",
                "--data-dir", dataDir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3))
                    .until(() -> java.nio.file.Files.readString(log).lines()
                            .filter(line -> line.matches("\\s+\\d+s .*")).count() >= 2);
            // SIGTERM runs the same shutdown hook as Ctrl-C's SIGINT. SIGINT itself cannot be relied on here: a
            // build started in the background by a non-interactive shell ignores it, the JVMs below inherit that,
            // and a JVM started with SIGINT ignored keeps ignoring it (local then ran on for minutes).
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(local.pid())).start().waitFor()).isZero();

            assertThat(local.waitFor(4, TimeUnit.MINUTES))
                    .as(() -> "still running 4 minutes after Ctrl-C; its output:\n" + readQuietly(log)).isTrue();
            String printed = java.nio.file.Files.readString(log);
            assertThat(printed).contains("summary of this run");
            assertThat(local.exitValue()).as(printed).isEqualTo(printed.contains("all invariants hold") ? 0 : 1);
        } finally {
            local.destroyForcibly();
        }
    }

    private LocalStack.Summary run(Duration duration) throws InterruptedException {
        return run(duration, new ByteArrayOutputStream());
    }

    private LocalStack.Summary run(Duration duration, ByteArrayOutputStream output) throws InterruptedException {
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        LocalStack.Summary summary = new LocalStack(new LocalStack.Options(12, 60, duration, null, dataDir, 2, 20),
                out).run();
        summary.print(out);
        return summary;
    }

    private static String readQuietly(Path log) {
        try {
            return java.nio.file.Files.readString(log);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
