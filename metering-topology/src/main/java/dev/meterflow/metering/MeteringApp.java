package dev.meterflow.metering;

import dev.meterflow.config.AppConfig;
import dev.meterflow.config.MeterflowVersion;
import dev.meterflow.health.AppMetrics;
import dev.meterflow.health.HealthServer;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.metering.replay.ReplayUnpricedCommand;
import dev.meterflow.metering.topology.MeteringTopology;
import dev.meterflow.startup.ShutdownSignal;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Runs the metering topology until SIGTERM (or Ctrl-C), then closes it cleanly. */
@Command(name = "metering-topology", mixinStandardHelpOptions = true, versionProvider = MeteringApp.Version.class,
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

    @Option(names = {"-c", "--config"}, scope = ScopeType.INHERIT,
            paramLabel = "FILE", description = "Properties file with configuration keys.")
    Path configFile;

    @Option(names = "--bootstrap-servers", scope = ScopeType.INHERIT,
            paramLabel = "HOSTS", description = "Overrides bootstrap.servers.")
    String bootstrapServers;

    @Option(names = "--state-dir", scope = ScopeType.INHERIT,
            paramLabel = "DIR", description = "Overrides state.dir.")
    String stateDir;

    @Option(names = "--application-id", scope = ScopeType.INHERIT,
            paramLabel = "ID", description = "Overrides application.id.")
    String applicationId;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new MeteringApp()).setUsageHelpWidth(100);
        commandLine.getCommandSpec().usageMessage().footer(AppConfig.describe(MeteringConfig.KEYS));
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
        Map<String, String> environment = new HashMap<>(System.getenv());
        putIfSet(environment, MeteringConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        putIfSet(environment, MeteringConfig.STATE_DIR, stateDir);
        putIfSet(environment, MeteringConfig.APPLICATION_ID, applicationId);
        return MeteringConfig.load(configFile, environment);
    }

    private static void putIfSet(Map<String, String> environment, AppConfig.Key key, String value) {
        if (value != null) {
            environment.put(AppConfig.environmentName(key.name()), value);
        }
    }

    /** {@code --version}: the Maven project version the jar was built from. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"metering-topology " + MeterflowVersion.get()};
        }
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
