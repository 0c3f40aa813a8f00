package dev.meterflow.gatewaysim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code /_sim} endpoints and the raw HTTP behaviour, seen by a plain HTTP client (curl, the local stack). */
class ControlEndpointsTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private GatewaySimulator gateway;

    @BeforeEach
    void startGateway() {
        gateway = GatewaySimulator.start(0, SimulatorSettings.defaults());
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    @Test
    void shouldReportHealth() throws Exception {
        HttpResponse<String> health = get("/_sim/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"");
    }

    @Test
    void shouldChangeSettingsAtRuntimeAndKeepTheOthers() throws Exception {
        gateway.updateSettings(SimulatorSettings.builder().latencyMs(5).build());

        HttpResponse<String> changed = post("/_sim/settings", "application/json",
                "{\"errorRate\": 1.0, \"timeoutAfterChargePaymentMethods\": [\"pm_card_amex\"]}");

        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(gateway.settings().errorRate()).isEqualTo(1.0);
        assertThat(gateway.settings().latencyMs()).isEqualTo(5);
        assertThat(gateway.settings().timeoutAfterChargePaymentMethods()).containsExactly("pm_card_amex");
        assertThat(get("/_sim/settings").body()).contains("\"errorRate\":1.0");
    }

    @Test
    void shouldRefuseUnknownOrOutOfRangeSettingsNamingThem() throws Exception {
        HttpResponse<String> unknown = post("/_sim/settings", "application/json", "{\"errorRatio\": 1}");
        HttpResponse<String> outOfRange = post("/_sim/settings", "application/json", "{\"errorRate\": 2}");

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("errorRatio");
        assertThat(outOfRange.statusCode()).isEqualTo(400);
        assertThat(outOfRange.body()).contains("errorRate");
        assertThat(gateway.settings()).isEqualTo(SimulatorSettings.defaults());
    }

    @Test
    void shouldListChargesAsJson() throws Exception {
        HttpResponse<String> created = post("/v1/payment_intents", "application/x-www-form-urlencoded",
                "amount=1500&currency=usd&customer=cus_a1&payment_method=pm_card_visa&confirm=true"
                        + "&off_session=true&metadata%5BrequestId%5D=rr-9&metadata%5BaccountId%5D=a9",
                "Bearer sk_test_curl");

        HttpResponse<String> charges = get("/_sim/charges");

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("Request-Id"))
                .hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
        assertThat(charges.body()).contains("\"requestId\":\"rr-9\"", "\"amountCents\":1500",
                "\"status\":\"succeeded\"");
    }

    @Test
    void shouldAcceptBasicAuthAsCurlSendsIt() throws Exception {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("sk_test_curl:".getBytes());

        HttpResponse<String> search = get("/v1/payment_intents/search?query=status%3A%27succeeded%27", basic);

        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body()).contains("\"object\":\"search_result\"");
    }

    @Test
    void shouldAnswerAMissingApiKeyWith401() throws Exception {
        HttpResponse<String> anonymous = get("/v1/payment_intents/pi_1", null);

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("You did not provide an API key");
    }

    @Test
    void shouldForgetEverythingOnReset() throws Exception {
        post("/v1/payment_intents", "application/x-www-form-urlencoded",
                "amount=1500&currency=usd&payment_method=pm_card_visa&confirm=true", "Bearer sk_test_curl");

        post("/_sim/reset", "application/json", "");

        assertThat(gateway.charges()).isEmpty();
        assertThat(get("/_sim/charges").body()).isEqualTo("[]");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, null);
    }

    private HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String contentType, String body)
            throws IOException, InterruptedException {
        return post(path, contentType, body, null);
    }

    private HttpResponse<String> post(String path, String contentType, String body, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
