package dev.meterflow.gatewaysim;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the gateway simulator standalone until the process is stopped. Every option can also be set with the
 * environment variable named in its description.
 */
@Command(name = "gateway-simulator", mixinStandardHelpOptions = true,
        description = "A Stripe-API-compatible payment gateway simulator (PaymentIntents, idempotency, faults).")
public final class GatewaySimulatorMain implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "${env:GATEWAY_SIM_HOST:-127.0.0.1}",
            description = "Address to listen on (GATEWAY_SIM_HOST, default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:GATEWAY_SIM_PORT:-12111}",
            description = "Port to listen on, 0 for any free port (GATEWAY_SIM_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--latency-ms", defaultValue = "${env:GATEWAY_SIM_LATENCY_MS:-0}",
            description = "Processing time of every /v1 request (GATEWAY_SIM_LATENCY_MS, default ${DEFAULT-VALUE}).")
    long latencyMs;

    @Option(names = "--error-rate", defaultValue = "${env:GATEWAY_SIM_ERROR_RATE:-0}",
            description = "Fraction of /v1 requests answered 500 without charging (GATEWAY_SIM_ERROR_RATE,"
                    + " default ${DEFAULT-VALUE}).")
    double errorRate;

    @Option(names = "--rate-limit", defaultValue = "${env:GATEWAY_SIM_RATE_LIMIT:-0}",
            description = "Requests per second before 429, 0 for none (GATEWAY_SIM_RATE_LIMIT,"
                    + " default ${DEFAULT-VALUE}).")
    int rateLimitPerSecond;

    @Option(names = "--timeout-after-charge-ms", defaultValue = "${env:GATEWAY_SIM_TIMEOUT_AFTER_CHARGE_MS:-0}",
            description = "Hold the response of a \"charge then time out\" create this long after charging"
                    + " (GATEWAY_SIM_TIMEOUT_AFTER_CHARGE_MS, default ${DEFAULT-VALUE}).")
    long timeoutAfterChargeMs;

    @Option(names = "--timeout-after-charge-rate", defaultValue = "${env:GATEWAY_SIM_TIMEOUT_AFTER_CHARGE_RATE:-0}",
            description = "Fraction of creates held after charging (GATEWAY_SIM_TIMEOUT_AFTER_CHARGE_RATE,"
                    + " default ${DEFAULT-VALUE}).")
    double timeoutAfterChargeRate;

    @Option(names = "--timeout-after-charge-payment-methods", split = ",",
            defaultValue = "${env:GATEWAY_SIM_TIMEOUT_AFTER_CHARGE_PAYMENT_METHODS:-}",
            description = "Comma-separated payment method tokens whose creates are always held"
                    + " (GATEWAY_SIM_TIMEOUT_AFTER_CHARGE_PAYMENT_METHODS).")
    Set<String> timeoutAfterChargePaymentMethods = Set.of();

    @Option(names = "--search-lag-ms", defaultValue = "${env:GATEWAY_SIM_SEARCH_LAG_MS:-0}",
            description = "How long new PaymentIntents stay invisible to search (GATEWAY_SIM_SEARCH_LAG_MS,"
                    + " default ${DEFAULT-VALUE}).")
    long searchLagMs;

    @Option(names = "--seed", defaultValue = "${env:GATEWAY_SIM_SEED:-42}",
            description = "Seed of the fault draws (GATEWAY_SIM_SEED, default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--ach-settlement-delay-ms", defaultValue = "${env:GATEWAY_SIM_ACH_SETTLEMENT_DELAY_MS:-0}",
            description = "How long a bank debit (pm_usBankAccount_...) stays processing before it settles"
                    + " (GATEWAY_SIM_ACH_SETTLEMENT_DELAY_MS, default ${DEFAULT-VALUE}).")
    long achSettlementDelayMs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int exitCode = new CommandLine(new GatewaySimulatorMain()).execute(args);
        System.exit(exitCode);
    }

    @Override
    public Integer call() throws InterruptedException {
        SimulatorSettings settings;
        try {
            settings = SimulatorSettings.builder()
                    .latencyMs(latencyMs)
                    .errorRate(errorRate)
                    .rateLimitPerSecond(rateLimitPerSecond)
                    .timeoutAfterChargeMs(timeoutAfterChargeMs)
                    .timeoutAfterChargeRate(timeoutAfterChargeRate)
                    .timeoutAfterChargePaymentMethods(withoutBlanks(timeoutAfterChargePaymentMethods))
                    .searchLagMs(searchLagMs)
                    .seed(seed)
                    .achSettlementDelayMs(achSettlementDelayMs)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        GatewaySimulator simulator = GatewaySimulator.start(host, port, settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "gateway-simulator-shutdown"));
        System.out.println("gateway simulator listening on " + simulator.baseUrl());
        stopped.await();
        return 0;
    }

    private static Set<String> withoutBlanks(Set<String> values) {
        return values == null ? Set.of() : values.stream().filter(value -> !value.isBlank())
                .collect(Collectors.toUnmodifiableSet());
    }
}
