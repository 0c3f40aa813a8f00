package dev.meterflow.api;

import dev.meterflow.api.config.ApiConfig;
import dev.meterflow.api.db.Database;
import dev.meterflow.api.db.EmbeddedDatabase;
import dev.meterflow.config.AppCommandLine;
import dev.meterflow.config.ConfigOptions;
import dev.meterflow.health.HealthServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the read model and the HTTP API until SIGTERM (or Ctrl-C), or until the read model stops on an error. */
@Command(name = "billing-api", mixinStandardHelpOptions = true, versionProvider = AppCommandLine.Version.class,
        description = {"The read side of Meterflow: a PostgreSQL read model fed from the topics, and the HTTP API.",
                "", "Configuration: defaults, then --config FILE, then environment variables, then the options."})
public final class BillingApiApp implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    public static void main(String[] args) {
        System.exit(AppCommandLine.execute(new BillingApiApp(), ApiConfig.KEYS, args));
    }

    @Override
    public Integer call() {
        ApiConfig config = ApiConfig.load(configOptions.file(), configOptions.environment());
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
