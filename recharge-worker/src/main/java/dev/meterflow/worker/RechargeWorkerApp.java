package dev.meterflow.worker;

import dev.meterflow.config.AppConfig;
import dev.meterflow.config.MeterflowVersion;
import dev.meterflow.health.AppMetrics;
import dev.meterflow.health.HealthServer;
import dev.meterflow.startup.ShutdownSignal;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.stripe.StripeGateway;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the recharge worker against the configured gateway until SIGTERM (or Ctrl-C). */
@Command(name = "recharge-worker", mixinStandardHelpOptions = true, versionProvider = RechargeWorkerApp.Version.class,
        description = {"Charges the payment gateway exactly once per recharge request and writes payment results, "
                + "receipts and notifications.", "",
                "Configuration: defaults, then --config FILE, then environment variables, then the options.",
                "Exit code: 0 stopped cleanly, 1 failed, 2 configuration or start-up check failed."})
public final class RechargeWorkerApp implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Properties file with configuration keys.")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS", description = "Overrides bootstrap.servers.")
    String bootstrapServers;

    @Option(names = "--gateway-base-url", paramLabel = "URL", description = "Overrides meterflow.gateway.base-url.")
    String gatewayBaseUrl;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new RechargeWorkerApp()).setUsageHelpWidth(100);
        commandLine.getCommandSpec().usageMessage().footer(AppConfig.describe(WorkerConfig.KEYS));
        commandLine.setExecutionExceptionHandler((exception, cmd, parsed) -> {
            if (exception instanceof AppConfig.ConfigException
                    || exception instanceof org.apache.kafka.common.config.ConfigException) {
                cmd.getErr().println("configuration error: " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> environment = new HashMap<>(System.getenv());
        if (bootstrapServers != null) {
            environment.put(AppConfig.environmentName(WorkerConfig.BOOTSTRAP_SERVERS.name()), bootstrapServers);
        }
        if (gatewayBaseUrl != null) {
            environment.put(AppConfig.environmentName(WorkerConfig.GATEWAY_BASE_URL.name()), gatewayBaseUrl);
        }
        WorkerConfig config = WorkerConfig.load(configFile, environment);
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

    /** {@code --version}: the Maven project version the jar was built from. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"recharge-worker " + MeterflowVersion.get()};
        }
    }
}
