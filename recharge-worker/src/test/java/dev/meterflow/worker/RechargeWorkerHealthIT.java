package dev.meterflow.worker;

import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.health.AppMetrics;
import dev.meterflow.health.HealthServer;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.testdata.stack.BrokerStack;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.config.WorkerConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 14: a running worker on the real broker answers /health/ready and serves its meters on /metrics. */
class RechargeWorkerHealthIT {

    @RegisterExtension
    final WorkerStack stack = WorkerStack.perTest().withoutWorker();
    private final BrokerStack kafka = stack.kafka();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldBeReadyOnceInTheGroupAndCountTheChargeAndItsOutcome() throws Exception {
        PrometheusMeterRegistry registry = AppMetrics.prometheus("recharge-worker");
        RechargeWorkerService worker = stack.startWorker(Map.of(WorkerConfig.TRANSACTIONAL_ID.name(),
                "recharge-worker-health-it"), registry);
        try (HealthServer health = HealthServer.start("recharge-worker", 0, worker::notReadyReason,
                registry::scrape)) {
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                    assertThat(get(health, HealthServer.READY).statusCode()).isEqualTo(200));

            RechargeRequest request = aRechargeRequest().withId("rr-health-1").forAccount("acct-health").build();
            kafka.publish(Topics.RECHARGE_REQUESTS, request.getAccountId(), request);

            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(
                    get(health, HealthServer.METRICS).body().lines())
                    .anyMatch(line -> line.startsWith("meterflow_recharge_outcomes_total{")
                            && line.contains("outcome=\"SUCCEEDED\"") && line.endsWith(" 1.0"))
                    .anyMatch(line -> line.startsWith("meterflow_gateway_calls_seconds_count{")
                            && line.contains("operation=\"charge\"") && line.contains("outcome=\"SUCCEEDED\""))
                    .anyMatch(line -> line.startsWith("kafka_consumer_fetch_manager_records_lag{"))
                    .anyMatch(line -> line.startsWith("meterflow_recharge_pending{") && line.endsWith(" 0.0")));
        } finally {
            stack.stopWorker();
        }
        assertThat(worker.notReadyReason()).hasValue("stopped");
    }

    private HttpResponse<String> get(HealthServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
