package dev.meterflow.worker;

import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.health.AppMetrics;
import dev.meterflow.health.HealthServer;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.stripe.StripeGateway;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Issue 14: a running worker on the real broker answers /health/ready and serves its meters on /metrics. */
class RechargeWorkerHealthIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldBeReadyOnceInTheGroupAndCountTheChargeAndItsOutcome() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null);
             GatewaySimulator simulator = GatewaySimulator.start(0, SimulatorSettings.defaults())) {
            kafka.createTopics(Topics.ALL.stream()
                    .map(topic -> new EmbeddedKafka.TopicSpec(topic.name(), 2, topic.compacted())).toList());
            PrometheusMeterRegistry registry = AppMetrics.prometheus("recharge-worker");
            RechargeWorkerService worker = RechargeWorkerService.start(config(kafka, simulator), gateway(simulator),
                    registry);
            try (HealthServer health = HealthServer.start("recharge-worker", 0, worker::notReadyReason,
                    registry::scrape)) {
                await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                        assertThat(get(health, HealthServer.READY).statusCode()).isEqualTo(200));

                send(kafka, aRechargeRequest().withId("rr-health-1").forAccount("acct-health").build());

                await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(
                        get(health, HealthServer.METRICS).body().lines())
                        .anyMatch(line -> line.startsWith("meterflow_recharge_outcomes_total{")
                                && line.contains("outcome=\"SUCCEEDED\"") && line.endsWith(" 1.0"))
                        .anyMatch(line -> line.startsWith("meterflow_gateway_calls_seconds_count{")
                                && line.contains("operation=\"charge\"") && line.contains("outcome=\"SUCCEEDED\""))
                        .anyMatch(line -> line.startsWith("kafka_consumer_fetch_manager_records_lag{"))
                        .anyMatch(line -> line.startsWith("meterflow_recharge_pending{") && line.endsWith(" 0.0")));
            } finally {
                worker.close();
            }
            assertThat(worker.notReadyReason()).hasValue("stopped");
        }
    }

    private static WorkerConfig config(EmbeddedKafka kafka, GatewaySimulator simulator) {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", kafka.bootstrapServers());
        props.setProperty("transactional.id", "recharge-worker-health-it");
        props.setProperty("meterflow.gateway.base-url", simulator.baseUrl());
        props.setProperty("meterflow.gateway.api-key", "sk_test_meterflow_it");
        props.setProperty("meterflow.shutdown-timeout", "PT5S");
        return WorkerConfig.from(props);
    }

    private static StripeGateway gateway(GatewaySimulator simulator) {
        return new StripeGateway("sk_test_meterflow_it", simulator.baseUrl(), Duration.ofSeconds(30));
    }

    private static void send(EmbeddedKafka kafka, RechargeRequest request) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.RECHARGE_REQUESTS.name(),
                    request.getAccountId().getBytes(StandardCharsets.UTF_8), Topics.RECHARGE_REQUESTS.valueSerde()
                    .serializer().serialize(Topics.RECHARGE_REQUESTS.name(), request)));
        }
    }

    private HttpResponse<String> get(HealthServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
