package dev.meterflow.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Gateway calls timed by outcome, under the names deploy/grafana and deploy/prometheus ask for (issue 14). */
class MeteredGatewayTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void shouldTimeEveryCallByOperationAndOutcomeAsAHistogram() {
        PaymentGateway declining = new PaymentGateway() {
            @Override
            public GatewayAnswer charge(ChargeCommand command) {
                return GatewayAnswer.unknown("timed out");
            }

            @Override
            public Optional<GatewayAnswer> lookUp(String requestId, String paymentMethodId) {
                return Optional.empty();
            }

            @Override
            public GatewayAnswer retrieve(String paymentIntentId) {
                return GatewayAnswer.processing(paymentIntentId);
            }
        };
        MeteredGateway gateway = new MeteredGateway(declining, registry);

        assertThat(gateway.charge(null).kind()).isEqualTo(GatewayAnswer.Kind.UNKNOWN);
        assertThat(gateway.lookUp("rr-1", "pm_1")).isEmpty();
        assertThat(gateway.retrieve("pi_1").kind()).isEqualTo(GatewayAnswer.Kind.PROCESSING);

        assertThat(registry.scrape())
                .contains("meterflow_gateway_calls_seconds_count{operation=\"charge\",outcome=\"UNKNOWN\"} 1")
                .contains("meterflow_gateway_calls_seconds_count{operation=\"lookup\",outcome=\"NOT_FOUND\"} 1")
                .contains("meterflow_gateway_calls_seconds_count{operation=\"retrieve\",outcome=\"PROCESSING\"} 1")
                .contains("meterflow_gateway_calls_seconds_bucket{");
    }
}
