package dev.meterflow.metering;

import static dev.meterflow.metering.MeteringTestBroker.STANDARD_PLAN;
import static dev.meterflow.metering.MeteringTestBroker.standardRateCard;
import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.health.AppMetrics;
import dev.meterflow.health.HealthServer;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.function.LongPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a metering instance stopped cleanly (SIGTERM's path, {@link MeteringService#close()}) leaves state the
 * next start uses as it is, restoring nothing; and a running instance serves its readiness and metrics.
 */
class MeteringRestartIT {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final int ACCOUNTS = 12;

    @TempDir
    Path stateDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private MeteringTestBroker broker;

    @BeforeEach
    void startBroker() {
        broker = MeteringTestBroker.start(2);
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldRestoreNothingOnTheStartAfterACleanStopAndServeReadinessAndMetricsMeanwhile() throws Exception {
        send(Topics.RATE_CARDS, STANDARD_PLAN, standardRateCard(T0));
        IntStream.range(0, ACCOUNTS).forEach(n -> send(Topics.ACCOUNT_SETTINGS, account(n), settings(account(n))));
        broker.flush();

        MeteringService first = new MeteringService(config());
        PrometheusMeterRegistry registry = AppMetrics.prometheus("metering-topology");
        first.bindTo(registry);
        try (HealthServer health = HealthServer.start("metering", 0, first::notReadyReason, registry::scrape)) {
            assertThat(get(health, HealthServer.READY).statusCode()).isEqualTo(503);
            first.start();
            // settings open each balance; usage sent before them would be parked
            await().atMost(Duration.ofSeconds(120)).until(() -> accounts(balance -> true) == ACCOUNTS);
            IntStream.range(0, ACCOUNTS).forEach(n -> send(Topics.USAGE_EVENTS, account(n), usage("e-" + n,
                    account(n))));
            broker.flush();
            await().atMost(Duration.ofSeconds(120)).until(() -> accounts(balance -> balance < 0) == ACCOUNTS);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                HttpResponse<String> ready = get(health, HealthServer.READY);
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                assertThat(get(health, HealthServer.METRICS).body())
                        .contains("kafka_meterflow_metering_usage_debited_total{")
                        .contains("kafka_stream_thread_process_total")
                        // what the alert rules and the dashboard under deploy/ ask for
                        .contains("kafka_stream_task_dropped_records_total{")
                        .contains("kafka_consumer_fetch_manager_records_lag{")
                        .contains("meterflow_metering_restoring_partitions{")
                        .contains("jvm_memory_used_bytes")
                        .contains("meterflow_metering_ready{app=\"metering-topology\"} 1.0");
            });
        } finally {
            first.close();
        }

        MeteringService second = new MeteringService(config()).start();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> second.notReadyReason().isEmpty());
            assertThat(second.restoredRecords()).as("records restored after a clean stop").isZero();
        } finally {
            second.close();
        }
    }

    private MeteringConfig config() {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", broker.bootstrapServers());
        props.setProperty("application.id", "metering-restart-it");
        props.setProperty("state.dir", stateDir.toString());
        return MeteringConfig.from(props);
    }

    private HttpResponse<String> get(HealthServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Accounts with a balance that passes {@code test}. */
    private long accounts(LongPredicate test) {
        return broker.values(Topics.ACCOUNT_BALANCES).stream()
                .filter(balance -> test.test(balance.getBalanceMicros()))
                .map(AccountBalance::getAccountId).distinct().count();
    }

    private static String account(int n) {
        return "a-" + n;
    }

    private <V> void send(Topic<String, V> topic, String key, V value) {
        broker.send(topic, key, value, T0);
    }

    private static AccountSettings settings(String account) {
        return settingsFor(account).onRatePlan(STANDARD_PLAN).whenBelow(0).withoutServiceAddress()
                .ofCustomer("cus_" + account).billingEmails("billing@" + account + ".example").at(T0).build();
    }

    private static UsageEvent usage(String eventId, String account) {
        return aUsageEvent().withEventId(eventId).forAccount(account).minutes(1).at(T0).build();
    }
}
