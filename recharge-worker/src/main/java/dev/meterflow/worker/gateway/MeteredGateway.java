package dev.meterflow.worker.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;

/**
 * Times every gateway call by operation (charge, lookup, retrieve) and classified outcome (SUCCEEDED, DECLINED_HARD,
 * DECLINED_SOFT, ERROR, UNKNOWN, RATE_LIMITED, PROCESSING; a look-up that finds nothing is NOT_FOUND), as a latency
 * histogram: the errors by kind are the counts of the error outcomes.
 */
public final class MeteredGateway implements PaymentGateway {

    private final PaymentGateway gateway;
    private final MeterRegistry registry;

    public MeteredGateway(PaymentGateway gateway, MeterRegistry registry) {
        this.gateway = gateway;
        this.registry = registry;
    }

    @Override
    public GatewayAnswer charge(ChargeCommand command) {
        Timer.Sample sample = Timer.start(registry);
        GatewayAnswer answer = gateway.charge(command);
        sample.stop(timer("charge", answer.kind().name()));
        return answer;
    }

    @Override
    public Optional<GatewayAnswer> lookUp(String requestId, String paymentMethodId) {
        Timer.Sample sample = Timer.start(registry);
        Optional<GatewayAnswer> answer = gateway.lookUp(requestId, paymentMethodId);
        sample.stop(timer("lookup", answer.map(found -> found.kind().name()).orElse("NOT_FOUND")));
        return answer;
    }

    @Override
    public GatewayAnswer retrieve(String paymentIntentId) {
        Timer.Sample sample = Timer.start(registry);
        GatewayAnswer answer = gateway.retrieve(paymentIntentId);
        sample.stop(timer("retrieve", answer.kind().name()));
        return answer;
    }

    private Timer timer(String operation, String outcome) {
        return Timer.builder("meterflow.gateway.calls").description("Payment gateway calls, by outcome")
                .tag("operation", operation).tag("outcome", outcome).publishPercentileHistogram()
                .register(registry);
    }
}
