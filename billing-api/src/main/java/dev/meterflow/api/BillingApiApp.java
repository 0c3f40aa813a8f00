package dev.meterflow.api;

import dev.meterflow.api.config.ApiConfig;
import dev.meterflow.api.db.Database;
import dev.meterflow.api.db.EmbeddedDatabase;
import dev.meterflow.config.AppConfig;
import dev.meterflow.health.HealthServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the read model and the HTTP API until SIGTERM (or Ctrl-C), or until the read model stops on an error. */
@Command(name = "billing-api", mixinStandardHelpOptions = true,
        description = {"The read side of Meterflow: a PostgreSQL read model fed from the topics, and the HTTP API.",
                "", "Configuration: defaults, then --config FILE, then environment variables, then the options."})
public final class BillingApiApp implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Properties file with configuration keys.")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS", description = "Overrides bootstrap.servers.")
    String bootstrapServers;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new BillingApiApp()).setUsageHelpWidth(100);
        commandLine.getCommandSpec().usageMessage().footer(AppConfig.describe(ApiConfig.KEYS));
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
    public Integer call() {
        Map<String, String> environment = new HashMap<>(System.getenv());
        if (bootstrapServers != null) {
            environment.put(AppConfig.environmentName(ApiConfig.BOOTSTRAP_SERVERS.name()), bootstrapServers);
        }
        ApiConfig config = ApiConfig.load(configFile, environment);
        BillingApi.Options options = config.options();
        EmbeddedDatabase embedded = config.embeddedDatabase()
                ? EmbeddedDatabase.start(Path.of(config.get(ApiConfig.DB_EMBEDDED_DIR))) : null;
        Database database = embedded != null ? embedded.open(config.poolSize())
                : Database.open(config.get(ApiConfig.DB_URL), config.get(ApiConfig.DB_USER), config.dbPassword(),
                config.poolSize());
        BillingApi api = BillingApi.start(options, database, Clock.systemUTC());
        HealthServer health = HealthServer.start("billing-api", config.port(ApiConfig.HEALTH_PORT), api::notReady,
                api::scrapeMetrics);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            health.close();
            api.close();
            database.close();
            if (embedded != null) {
                embedded.close();
            }
        }, "billing-api-shutdown"));
        try {
            api.readModelRun().join();
            return 0;
        } catch (RuntimeException e) {
            return 1;
        }
    }
}
