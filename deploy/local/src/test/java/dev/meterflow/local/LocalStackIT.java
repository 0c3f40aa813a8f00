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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, shortened: the whole pipeline runs and every invariant holds. */
class LocalStackIT {

    @TempDir
    Path dataDir;

    /**
     * Issue 11: the read side runs in the stack too. While the pipeline runs, a seeded admin signs in and the API
     * answers the account's summary with its balance; at the end the read model has caught up and the notifier
     * has emailed every receipt, which GreenMail received.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldRunTheWholePipelineAndKeepEveryInvariant() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        LocalStack stack = new LocalStack(new LocalStack.Options(12, 60, Duration.ofSeconds(8), null, dataDir, 2, 20),
                out);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Future<LocalStack.Summary> running = runner.submit(stack::run);

        Pattern apiLine = Pattern.compile("billing API (http://127\\.0\\.0\\.1:\\d+)/api/v1");
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> running.isDone()
                || apiLine.matcher(output.toString(StandardCharsets.UTF_8)).find());
        Matcher api = apiLine.matcher(output.toString(StandardCharsets.UTF_8));
        assertThat(api.find()).as("the stack printed the API's URL, or failed: %s",
                running.isDone() ? running.get() : "").isTrue();
        HttpResponse<String> summaryAnswer = signedInSummary(api.group(1), "acct-0001");
        LocalStack.Summary summary = running.get(4, TimeUnit.MINUTES);
        runner.shutdown();
        summary.print(out);

        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(summary.ok()).as(printed).isTrue();
        assertThat(summary.debited()).isEqualTo(summary.distinctEvents()).isPositive();
        assertThat(summary.succeeded()).as("the seeded accounts start at $0 and recharge").isPositive();
        assertThat(summary.declined()).as("account 7's cards both decline").isPositive();
        assertThat(summary.charges()).isEqualTo(summary.receipts());
        assertThat(printed).contains("events/s", "all invariants hold", "[ok] the read model caught up",
                "[ok] every receipt emailed", "password 'meterflow-local-only'");
        assertThat(summaryAnswer.statusCode()).as(summaryAnswer.body()).isEqualTo(200);
        JsonNode accountSummary = new ObjectMapper().readTree(summaryAnswer.body());
        assertThat(accountSummary.path("accountId").asText()).isEqualTo("acct-0001");
        assertThat(accountSummary.path("balanceMicros").isIntegralNumber()).as(summaryAnswer.body()).isTrue();
        Matcher emailed = Pattern.compile("every receipt emailed \\((\\d+) receipts, (\\d+) emails received\\)")
                .matcher(printed);
        assertThat(emailed.find()).as(printed).isTrue();
        assertThat(Integer.parseInt(emailed.group(2))).as("GreenMail received the receipts").isPositive();
    }

    /** Signs in as the seeded admin of {@code accountId} and asks for its summary once the read model has it. */
    private static HttpResponse<String> signedInSummary(String api, String accountId) {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String login = "{\"email\": \"admin@" + accountId + ".example\", \"password\": \"meterflow-local-only\"}";
        return org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> {
            http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/session"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(login))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/accounts/" + accountId + "/summary"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        }, response -> response.statusCode() == 200
                && response.body().matches(".*\"balanceMicros\":-?\\d.*"));
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
                MeterflowCli.class.getName(), "local", "--accounts", "6", "--rate", "20", "--partitions", "1", "--api-port", "0",
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
