package dev.meterflow.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.config.AppConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldServeReadinessAsItChangesLivenessAlwaysAndTheMetricsText() throws Exception {
        AtomicReference<Optional<String>> notReady = new AtomicReference<>(Optional.of("state REBALANCING"));
        try (HealthServer server = HealthServer.start("test", 0, notReady::get, () -> "up 1.0\n")) {
            HttpResponse<String> ready = get(server, HealthServer.READY);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("state REBALANCING");
            assertThat(get(server, HealthServer.LIVE).statusCode()).isEqualTo(200);

            notReady.set(Optional.empty());
            assertThat(get(server, HealthServer.READY).statusCode()).isEqualTo(200);

            HttpResponse<String> metrics = get(server, HealthServer.METRICS);
            assertThat(metrics.body()).isEqualTo("up 1.0\n");
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue(HealthServer.PROMETHEUS_TEXT);
        }
    }

    @Test
    void shouldAnswerNotFoundBelowAKnownPath() throws Exception {
        try (HealthServer server = HealthServer.start("test", 0, Optional::empty, () -> "")) {
            assertThat(get(server, "/health/ready/extra").statusCode()).isEqualTo(404);
            assertThat(get(server, "/other").statusCode()).isEqualTo(404);
        }
    }

    private HttpResponse<String> get(HealthServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldStopStartUpNamingTheKeyWhenThePortIsTaken() {
        try (HealthServer first = HealthServer.start("test", 0, Optional::empty, () -> "")) {
            assertThatThrownBy(() -> HealthServer.start("test", first.port(), Optional::empty, () -> ""))
                    .isInstanceOf(AppConfig.ConfigException.class)
                    .hasMessageStartingWith("meterflow.health.port=" + first.port() + ": cannot listen there");
        }
    }
}
