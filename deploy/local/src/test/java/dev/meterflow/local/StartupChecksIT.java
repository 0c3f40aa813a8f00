package dev.meterflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.config.AppConfig;
import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.local.topics.ProvisionTopics;
import dev.meterflow.local.topics.TopicDefinitions;
import dev.meterflow.metering.MeteringApp;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.RechargeWorkerApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, items 4 and 7: each misconfiguration stops the app as a process with exit code 2 and one line on
 * standard error naming what to fix, within seconds; an unreachable broker is reported within seconds while
 * the app keeps trying; SIGTERM stops the app within its shutdown timeout whatever state it is in.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StartupChecksIT {

    /** A JVM's start on a loaded machine plus the checks: "within seconds", generously. */
    private static final Duration STARTUP_BOUND = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    /** SIGTERM to exit: the shutdown timeout, plus the JVM's own exit. */
    private static final Duration SHUTDOWN_BOUND = SHUTDOWN_TIMEOUT.plusSeconds(5);
    private static final String UNREACHABLE = "127.0.0.1:1";

    private static EmbeddedKafka kafka;
    private static GatewaySimulator gateway;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(null);
        gateway = GatewaySimulator.start(0, SimulatorSettings.defaults());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        kafka.close();
    }

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    @Order(1)
    void shouldNameEveryMissingTopicAndPointAtProvisioning() throws Exception {
        assertRefusedInOneLine(metering(kafka.bootstrapServers(), ""), "missing topics: ", "account-balances",
                "usage-events", "metering-dlq", "provision-topics");
        assertRefusedInOneLine(worker(kafka.bootstrapServers(), "", Map.of()), "missing topics: ", "recharge-attempts",
                "recharge-requests", "provision-topics");
    }

    @Test
    @Order(2)
    void shouldRefuseAccountKeyedInputsThatAreNotCoPartitioned() throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(Topics.ACCOUNT_SETTINGS.name(), 2, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
            new ProvisionTopics(admin).apply(TopicDefinitions.all(4, (short) 1));
        }

        assertRefusedInOneLine(metering(kafka.bootstrapServers(), ""), "same partition count",
                "account-settings=2", "usage-events=4");
    }

    @Test
    void shouldRefuseAMisspeltStreamsKey() throws Exception {
        assertRefusedInOneLine(metering(kafka.bootstrapServers(), "num.stream.thread=2\n"),
                "unknown key 'num.stream.thread'", "did you mean 'num.stream.threads'?");
    }

    @Test
    void shouldRefuseAMisspeltVariable() throws Exception {
        assertRefusedInOneLine(start(MeteringApp.class, List.of("--config", config("metering", "")),
                Map.of("METERFLOW_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "METERFLOW_DEDUP_RETNETION", "P40D")),
                "unknown environment variable METERFLOW_DEDUP_RETNETION", "did you mean METERFLOW_DEDUP_RETENTION?");
    }

    @Test
    void shouldRefuseAnUnknownSecurityProtocol() throws Exception {
        assertRefusedInOneLine(metering(kafka.bootstrapServers(), "security.protocol=FOO\n"), "security.protocol",
                "FOO");
    }

    @Test
    void shouldRefuseAnEmptyBootstrapServers() throws Exception {
        assertRefusedInOneLine(metering("", ""), "bootstrap.servers", "empty");
    }

    @Test
    void shouldRefuseABrokerHostThatDoesNotResolve() throws Exception {
        assertRefusedInOneLine(metering("no-such-broker.invalid:9092", ""), "bootstrap.servers",
                "no-such-broker.invalid:9092", "unknown host");
    }

    @Test
    void shouldRefuseAMisspeltWorkerKey() throws Exception {
        assertRefusedInOneLine(worker(kafka.bootstrapServers(), "meterflow.gateway.rate-limt=5\n", Map.of()),
                "unknown key 'meterflow.gateway.rate-limt'", "did you mean 'meterflow.gateway.rate-limit'?");
    }

    @Test
    void shouldRefuseAnIllFormedGatewayUrl() throws Exception {
        assertRefusedInOneLine(worker(kafka.bootstrapServers(), "meterflow.gateway.base-url=htp:/localhost\n",
                Map.of()), "meterflow.gateway.base-url", "htp:/localhost");
    }

    @Test
    void shouldRefuseALiveKeyAtTheSimulator() throws Exception {
        assertRefusedInOneLine(worker(kafka.bootstrapServers(), "", Map.of("METERFLOW_GATEWAY_API_KEY",
                "sk_" + "live_startupcheck0123456789")), "is a live key", gateway.baseUrl());
    }

    @Test
    void shouldRefuseAGatewayTimeoutThatWouldOverflow() throws Exception {
        assertRefusedInOneLine(worker(kafka.bootstrapServers(), "meterflow.gateway.timeout=PT1000H\n", Map.of()),
                "meterflow.gateway.timeout must be above zero and at most PT10M");
    }

    @Test
    void shouldRefuseAKeyTheGatewayRefuses() throws Exception {
        assertRefusedInOneLine(worker(kafka.bootstrapServers(), "", Map.of("METERFLOW_GATEWAY_API_KEY",
                "rk_test_refusedbythegateway")), "refused meterflow.gateway.api-key (401)");
    }

    @Test
    void shouldReportAnUnreachableBrokerWithinSecondsKeepTryingAndStopOnSigterm() throws Exception {
        Process metering = metering(UNREACHABLE, "");

        await().atMost(STARTUP_BOUND).until(() -> stdout(metering).contains("kafka not reachable bootstrap.servers='"
                + UNREACHABLE + "'"));
        assertThat(metering.isAlive()).as("keeps trying").isTrue();

        assertStopsOnSigterm(metering);
    }

    @Test
    void shouldReportAnUnreachableBrokerToTheWorkerWithinSecondsKeepTryingAndStopOnSigterm() throws Exception {
        Process worker = worker(UNREACHABLE, "", Map.of());

        await().atMost(STARTUP_BOUND).until(() -> stdout(worker).contains("kafka not reachable bootstrap.servers='"
                + UNREACHABLE + "'"));
        assertThat(worker.isAlive()).as("keeps trying").isTrue();

        assertStopsOnSigterm(worker);
    }

    @Test
    void shouldStopOnSigtermWithinTheShutdownTimeoutWhenTheBrokerWentAwayWhileRunning() throws Exception {
        EmbeddedKafka own = EmbeddedKafka.start(null);
        boolean closed = false;
        try {
            try (Admin admin = own.admin()) {
                new ProvisionTopics(admin).apply(TopicDefinitions.all(2, (short) 1));
            }
            Process metering = metering(own.bootstrapServers(), "");
            await().atMost(Duration.ofMinutes(3)).until(() -> stdout(metering).contains("-> RUNNING"));

            own.close();
            closed = true;
            assertStopsOnSigterm(metering);
        } finally {
            if (!closed) {
                own.close();
            }
        }
    }

    private void assertStopsOnSigterm(Process process) throws InterruptedException {
        process.destroy();
        long start = System.nanoTime();
        boolean exited = process.waitFor(SHUTDOWN_BOUND.toSeconds() + 60, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(exited).as("exited after SIGTERM").isTrue();
        assertThat(took).as("SIGTERM to exit").isLessThanOrEqualTo(SHUTDOWN_BOUND);
    }

    private void assertRefusedInOneLine(Process process, String... expected) throws Exception {
        assertThat(process.waitFor(STARTUP_BOUND.toSeconds(), TimeUnit.SECONDS)).as("exited within seconds").isTrue();
        List<String> errors = Files.readAllLines(stderr(process)).stream().filter(line -> !line.isBlank()).toList();

        assertThat(process.exitValue()).as("exit code; stderr %s", errors).isEqualTo(2);
        assertThat(errors).as("stderr").hasSize(1);
        assertThat(errors.get(0)).contains(expected);
    }

    private Process metering(String bootstrapServers, String extraConfig) throws IOException {
        String config = "application.id=startup-checks\nstate.dir=" + dir.resolve("state") + "\n"
                + "meterflow.shutdown-timeout=PT" + SHUTDOWN_TIMEOUT.toSeconds() + "S\n" + extraConfig;
        return start(MeteringApp.class, List.of("--config", config("metering", config)),
                Map.of("METERFLOW_BOOTSTRAP_SERVERS", bootstrapServers));
    }

    private Process worker(String bootstrapServers, String extraConfig, Map<String, String> environment)
            throws IOException {
        String config = "meterflow.gateway.base-url=" + gateway.baseUrl() + "\n"
                + "meterflow.shutdown-timeout=PT" + SHUTDOWN_TIMEOUT.toSeconds() + "S\n" + extraConfig;
        Map<String, String> variables = new java.util.HashMap<>(Map.of("METERFLOW_BOOTSTRAP_SERVERS",
                bootstrapServers, "METERFLOW_GATEWAY_API_KEY", "sk_test_startup_checks"));
        variables.putAll(environment);
        return start(RechargeWorkerApp.class, List.of("--config", config("worker", config)), variables);
    }

    private String config(String name, String content) throws IOException {
        Path file = dir.resolve(name + ".properties");
        Files.writeString(file, content);
        return file.toString();
    }

    private Process start(Class<?> main, List<String> args, Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=logback-child.xml", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(args);
        int n = processes.size();
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out-" + n + ".log").toFile())
                .redirectError(dir.resolve("err-" + n + ".log").toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith(AppConfig.ENV_PREFIX));
        builder.environment().putAll(environment);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private Path stderr(Process process) {
        return dir.resolve("err-" + processes.indexOf(process) + ".log");
    }

    private String stdout(Process process) throws IOException {
        return Files.readString(dir.resolve("out-" + processes.indexOf(process) + ".log"));
    }
}
