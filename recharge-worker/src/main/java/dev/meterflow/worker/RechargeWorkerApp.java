package dev.meterflow.worker;

import dev.meterflow.config.AppCommandLine;
import dev.meterflow.config.ConfigOptions;
import dev.meterflow.health.AppMetrics;
import dev.meterflow.health.HealthServer;
import dev.meterflow.startup.ShutdownSignal;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.stripe.StripeGateway;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the recharge worker against the configured gateway until SIGTERM (or Ctrl-C). */
@Command(name = "recharge-worker", mixinStandardHelpOptions = true, versionProvider = AppCommandLine.Version.class,
        description = {"Charges the payment gateway exactly once per recharge request and writes payment results, "
                + "receipts and notifications.", "",
                "Configuration: defaults, then --config FILE, then environment variables, then the options.",
                "Exit code: 0 stopped cleanly, 1 failed, 2 configuration or start-up check failed."})
public final class RechargeWorkerApp implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--gateway-base-url", paramLabel = "URL", description = "Overrides meterflow.gateway.base-url.")
    String gatewayBaseUrl;

    public static void main(String[] args) {
        System.exit(AppCommandLine.execute(new RechargeWorkerApp(), WorkerConfig.KEYS, args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> environment = configOptions.environment();
        ConfigOptions.override(environment, WorkerConfig.GATEWAY_BASE_URL, gatewayBaseUrl);
        WorkerConfig config = WorkerConfig.load(configOptions.file(), environment);
        StripeGateway gateway = new StripeGateway(config.gatewayApiKey(), config.gatewayBaseUrl(),
                config.gatewayTimeout());
        ShutdownSignal signal = ShutdownSignal.install("recharge-worker", config.shutdownTimeout());
        WorkerStartup.requireGatewayKey(gateway, config.gatewayBaseUrl());
        if (!WorkerStartup.clusterReady(config, signal)) {
            return 0;
        }
        PrometheusMeterRegistry registry = AppMetrics.prometheus("recharge-worker");
        RechargeWorkerService service = RechargeWorkerService.start(config, gateway, registry);
        try (HealthServer health = HealthServer.start("recharge-worker", config.healthPort(),
                service::notReadyReason, registry::scrape)) {
            if (!signal.running(service)) {
                return 0;
            }
            return service.awaitStopped() ? 0 : 1;
        }
    }
}
