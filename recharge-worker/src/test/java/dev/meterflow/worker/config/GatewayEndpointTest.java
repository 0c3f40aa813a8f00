package dev.meterflow.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.config.AppConfig.ConfigException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 16, item 7: a bad base URL, a live key at the simulator and PT1000H were found only at the first charge. */
class GatewayEndpointTest {

    /** A live key as the gateway shapes it, put together at run time so no source file holds one. */
    private static final String LIVE_KEY = "sk_" + "live_0123456789abcdef";

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"htp:/localhost:8080", "localhost:8080", "https://", "https://api.stripe.com?x=1", ""})
    void shouldRefuseABaseUrlThatIsNotAnHttpUrlWithAHost(String url) {
        Properties overrides = new Properties();
        overrides.setProperty("meterflow.gateway.base-url", url);

        assertThatThrownBy(() -> WorkerConfig.from(overrides))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("meterflow.gateway.base-url ");
    }

    @Test
    void shouldAcceptStripeAndTheSimulatorWithoutTheirTrailingSlash() {
        assertThat(GatewayEndpoint.baseUrl("k", "https://api.stripe.com/")).isEqualTo("https://api.stripe.com");
        assertThat(GatewayEndpoint.baseUrl("k", "http://127.0.0.1:4242")).isEqualTo("http://127.0.0.1:4242");
    }

    @Test
    void shouldRefuseALiveKeyAnywhereButAtStripe() {
        WorkerConfig simulator = WorkerConfig.load(null, Map.of("METERFLOW_GATEWAY_BASE_URL", "http://127.0.0.1:4242",
                "METERFLOW_GATEWAY_API_KEY", LIVE_KEY));

        assertThatThrownBy(simulator::gatewayApiKey)
                .isInstanceOf(ConfigException.class)
                .hasMessage("meterflow.gateway.api-key is a live key, but meterflow.gateway.base-url "
                        + "'http://127.0.0.1:4242' is not https://api.stripe.com; a live key is only ever sent to "
                        + "Stripe")
                .hasMessageNotContaining("0123456789abcdef");
        WorkerConfig stripe = WorkerConfig.load(null, Map.of("METERFLOW_GATEWAY_API_KEY", LIVE_KEY));
        assertThat(stripe.gatewayApiKey()).startsWith("sk_live_");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PT1000H", "PT0S"})
    void shouldRefuseAGatewayTimeoutOfNothingOrOfWeeks(String timeout) {
        Properties overrides = new Properties();
        overrides.setProperty("meterflow.gateway.timeout", timeout);

        assertThatThrownBy(() -> WorkerConfig.from(overrides))
                .hasMessage("meterflow.gateway.timeout must be above zero and at most PT10M, was " + timeout);
    }
}
