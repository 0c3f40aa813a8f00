package dev.meterflow.metering;

import dev.meterflow.config.AppConfig;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.metering.replay.ReplayUnpricedCommand;
import dev.meterflow.metering.topology.MeteringTopology;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the metering topology until SIGTERM (or Ctrl-C), then closes it cleanly. */
@Command(name = "metering-topology", mixinStandardHelpOptions = true,
        description = {"Prices usage and keeps every account's balance, exactly once; asks for recharges; "
                + "pauses and resumes accounts.", "",
                "Configuration: defaults, then --config FILE, then environment variables, then the options."},
        subcommands = {MeteringApp.Describe.class, ReplayUnpricedCommand.class})
public final class MeteringApp implements Callable<Integer> {

    /**
     * The exit code after the stall watchdog stopped the instance (sysexits' EX_TEMPFAIL): a supervisor restarts
     * it, with fresh clients and a fresh group membership.
     */
    public static final int EXIT_STUCK = 75;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Properties file with configuration keys.")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS", description = "Overrides bootstrap.servers.")
    String bootstrapServers;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Overrides state.dir.")
    String stateDir;

    @Option(names = "--application-id", paramLabel = "ID", description = "Overrides application.id.")
    String applicationId;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new MeteringApp()).setUsageHelpWidth(100);
        commandLine.getCommandSpec().usageMessage().footer(AppConfig.describe(MeteringConfig.KEYS));
        commandLine.setExecutionExceptionHandler((exception, cmd, parsed) -> {
            if (exception instanceof AppConfig.ConfigException) {
                cmd.getErr().println("configuration error: " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        MeteringService service = new MeteringService(config());
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "metering-shutdown"));
        service.start().awaitStopped();
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
