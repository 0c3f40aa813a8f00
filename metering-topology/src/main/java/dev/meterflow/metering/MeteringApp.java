package dev.meterflow.metering;

import dev.meterflow.config.AppCommandLine;
import dev.meterflow.config.ConfigOptions;
import dev.meterflow.health.AppMetrics;
import dev.meterflow.health.HealthServer;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.metering.replay.ReplayUnpricedCommand;
import dev.meterflow.metering.topology.MeteringTopology;
import dev.meterflow.startup.ShutdownSignal;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Runs the metering topology until SIGTERM (or Ctrl-C), then closes it cleanly. */
@Command(name = "metering-topology", mixinStandardHelpOptions = true, versionProvider = AppCommandLine.Version.class,
        description = {"Prices usage and keeps every account's balance, exactly once; asks for recharges; "
                + "pauses and resumes accounts.", "",
                "Configuration: defaults, then --config FILE, then environment variables, then the options "
                        + "(before or after a sub-command).",
                "Exit code: 0 stopped cleanly, 1 failed, 2 configuration or start-up check failed, "
                        + "75 stopped by the stall watchdog (restart it)."},
        subcommands = {MeteringApp.Describe.class, ReplayUnpricedCommand.class})
public final class MeteringApp implements Callable<Integer> {

    /**
     * The exit code after the stall watchdog stopped the instance (sysexits' EX_TEMPFAIL): a supervisor restarts
     * it, with fresh clients and a fresh group membership.
     */
    public static final int EXIT_STUCK = 75;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--state-dir", scope = ScopeType.INHERIT,
            paramLabel = "DIR", description = "Overrides state.dir.")
    String stateDir;

    @Option(names = "--application-id", scope = ScopeType.INHERIT,
            paramLabel = "ID", description = "Overrides application.id.")
    String applicationId;

    public static void main(String[] args) {
        System.exit(AppCommandLine.execute(new MeteringApp(), MeteringConfig.KEYS, args));
    }

    @Override
    public Integer call() throws InterruptedException {
        MeteringConfig config = config();
        ShutdownSignal signal = ShutdownSignal.install("metering", config.shutdownTimeout());
        if (!MeteringStartup.clusterReady(config, signal)) {
            return 0;
        }
        MeteringService service = new MeteringService(config);
        PrometheusMeterRegistry registry = AppMetrics.prometheus("metering-topology");
        service.bindTo(registry);
        try (HealthServer health = HealthServer.start("metering", config.healthPort(), service::notReadyReason,
                registry::scrape)) {
            if (!signal.running(service)) {
                return 0;
            }
            service.start().awaitStopped();
        }
        if (service.stoppedStuck()) {
            return EXIT_STUCK;
        }
        return service.state() == KafkaStreams.State.ERROR ? 1 : 0;
    }

    public MeteringConfig config() {
        Map<String, String> environment = configOptions.environment();
        ConfigOptions.override(environment, MeteringConfig.STATE_DIR, stateDir);
        ConfigOptions.override(environment, MeteringConfig.APPLICATION_ID, applicationId);
        return MeteringConfig.load(configOptions.file(), environment);
    }

    /** Prints the topology (sub-topologies, stores, topics) without connecting to Kafka. */
    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Prints the topology as built: sub-topologies, processors, stores and topics.")
    static final class Describe implements Callable<Integer> {
        @CommandLine.ParentCommand
        MeteringApp parent;

        @Override
        public Integer call() {
            System.out.println(MeteringTopology.build(parent.config()).describe());
            return 0;
        }
    }
}
