package dev.meterflow.api;

import dev.meterflow.api.access.Authenticator;
import dev.meterflow.api.access.LoginPolicy;
import dev.meterflow.api.access.LoginRateLimit;
import dev.meterflow.api.accounts.AccountAccess;
import dev.meterflow.api.accounts.SubAccounts;
import dev.meterflow.api.advice.AdviceHandler;
import dev.meterflow.api.advice.AdviceQueries;
import dev.meterflow.api.billinglog.BillingLogQueries;
import dev.meterflow.api.commands.CommandPublisher;
import dev.meterflow.api.commands.PipelineProgress;
import dev.meterflow.api.commands.ReadModelWatch;
import dev.meterflow.api.db.Database;
import dev.meterflow.api.http.ApiRoutes;
import dev.meterflow.api.http.ApiServer;
import dev.meterflow.api.notify.StatementDeliveryHandler;
import dev.meterflow.api.notify.StatementRequests;
import dev.meterflow.api.page.BillingPage;
import dev.meterflow.api.payments.PaymentCommands;
import dev.meterflow.api.payments.PaymentQueries;
import dev.meterflow.api.readmodel.ReadModel;
import dev.meterflow.api.readmodel.ReadModelMetrics;
import dev.meterflow.api.readmodel.Retention;
import dev.meterflow.api.settings.SettingsCommands;
import dev.meterflow.api.statements.StatementHandler;
import dev.meterflow.api.statements.StatementQueries;
import dev.meterflow.api.tax.TaxCharges;
import dev.meterflow.health.AppMetrics;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The read side running: the read model's consumer on a thread of its own, and the HTTP API over it. */
public final class BillingApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BillingApi.class);

    private final ReadModel readModel;
    private final CompletableFuture<Void> readModelRun;
    private final CommandPublisher publisher;
    private final PipelineProgress progress;
    private final Authenticator authenticator;
    private final Javalin server;
    private final Database database;
    private final PrometheusMeterRegistry metrics = AppMetrics.prometheus("billing-api");

    private BillingApi(Options options, Database database, Clock clock) {
        this.database = database;
        this.readModel = new ReadModel(options.kafka(), database.jdbi(), options.retention(), options.maxBatch(),
                clock, new ReadModelMetrics(metrics));
        this.readModelRun = CompletableFuture.runAsync(readModel, runnable -> {
            Thread thread = new Thread(runnable, "read-model");
            thread.start();
        });
        readModelRun.whenComplete((done, failure) -> {
            if (failure != null) {
                log.error("read model stopped on an error; restart the billing API to resume from the stored"
                        + " offsets", failure);
            }
        });
        this.publisher = new CommandPublisher(options.kafka(), Duration.ofSeconds(10));
        this.progress = options.meteringApplicationId().isEmpty() ? null
                : new PipelineProgress(options.kafka(), options.meteringApplicationId(), database.jdbi());
        this.authenticator = new Authenticator(database.jdbi(), options.loginPolicy(),
                new LoginRateLimit(options.loginsPerMinute(), clock), options.sessionLifetime(), clock);
        AccountAccess access = new AccountAccess(database.jdbi());
        ReadModelWatch watch = new ReadModelWatch(options.writeWait());
        var statements = new StatementQueries(database.jdbi(), options.retention(), clock);
        var services = new ApiRoutes.Services(authenticator, access, new PaymentQueries(database.jdbi(), access),
                new PaymentCommands(database.jdbi(), access, publisher, watch, clock),
                new BillingLogQueries(database.jdbi(), access),
                new SettingsCommands(database.jdbi(), access, publisher, watch, progress, clock),
                new AdviceHandler(new AdviceQueries(database.jdbi(), clock)), new StatementHandler(statements),
                new StatementDeliveryHandler(new StatementRequests(database.jdbi(), statements, clock)),
                () -> new ApiRoutes.Health(!readModelRun.isDone(), readModel.lag(), readModel.skipped(),
                        readModel.expired()),
                new SubAccounts(database.jdbi(), access), new TaxCharges(database.jdbi(), access));
        BillingPage page = BillingPage.create(services, new AdviceQueries(database.jdbi(), clock),
                new StatementRequests(database.jdbi(), statements, clock), clock);
        this.server = ApiServer.create(ApiRoutes.all(services), authenticator, metrics, page::register)
                .start(options.host(), options.port());
        log.info("billing API listening url='http://{}:{}{}'", options.host(), server.port(), ApiRoutes.BASE);
        log.info("Billing Settings page url='http://{}:{}{}'", options.host(), server.port(), BillingPage.BASE);
    }

    public static BillingApi start(Options options, Database database, Clock clock) {
        return new BillingApi(options, database, clock);
    }

    public int port() {
        return server.port();
    }

    public ReadModel readModel() {
        return readModel;
    }

    /** Done when the read model stopped: exceptionally when a write failed. */
    public CompletableFuture<Void> readModelRun() {
        return readModelRun;
    }

    /** Every method and path the server answers under /api/v1, e.g. {@code GET /api/v1/openapi.json}. */
    public java.util.List<String> servedEndpoints() {
        return server.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint.method.name() + " " + parsed.endpoint.path)
                .filter(endpoint -> !endpoint.startsWith("HEAD ") && endpoint.contains(" " + ApiRoutes.BASE + "/"))
                .toList();
    }

    /** The API's meters in Prometheus' text format, for {@code /metrics}. */
    public String scrapeMetrics() {
        return metrics.scrape();
    }

    /**
     * Why the API is not ready, empty when it is: ready once the read model has caught up with its topics (once,
     * since start) while it runs and the database answers.
     */
    public Optional<String> notReady() {
        if (readModelRun.isDone()) {
            return Optional.of("the read model stopped on an error; restart the billing API");
        }
        if (!readModel.caughtUpOnce()) {
            return Optional.of("the read model has not caught up with its topics yet (lag " + readModel.lag() + ")");
        }
        return database.reachable() ? Optional.empty() : Optional.of("the database does not answer");
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    @Override
    public void close() {
        server.stop();
        readModel.close();
        readModelRun.exceptionally(failure -> null).join();
        publisher.close();
        if (progress != null) {
            progress.close();
        }
    }

    /**
     * @param kafka      client settings for the read model's consumer and the command producer
     * @param writeWait  how long a write waits for the read model to show it before "saved, still applying"
     * @param meteringApplicationId the metering app's {@code application.id}, whose progress tells a settings
     *                   write accepted from refused; empty for none
     */
    public record Options(Properties kafka, String host, int port, Retention retention, int maxBatch,
                          Duration writeWait, LoginPolicy loginPolicy, int loginsPerMinute,
                          Duration sessionLifetime, String meteringApplicationId) {

        /** Without the metering app's id: a settings write is "applied" once the read model shows it. */
        public Options(Properties kafka, String host, int port, Retention retention, int maxBatch,
                       Duration writeWait, LoginPolicy loginPolicy, int loginsPerMinute, Duration sessionLifetime) {
            this(kafka, host, port, retention, maxBatch, writeWait, loginPolicy, loginsPerMinute, sessionLifetime,
                    "");
        }
    }
}
