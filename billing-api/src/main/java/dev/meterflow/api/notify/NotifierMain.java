package dev.meterflow.api.notify;

import dev.meterflow.api.config.ApiConfig;
import dev.meterflow.api.db.Database;
import dev.meterflow.api.readmodel.Retention;
import dev.meterflow.api.statements.StatementQueries;
import dev.meterflow.config.AppConfig;
import dev.meterflow.health.AppMetrics;
import dev.meterflow.health.HealthServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier's entry point: {@code java -cp billing-api.jar:lib/* dev.meterflow.api.notify.NotifierMain}, set up
 * by the billing API's keys in the environment ({@link NotifierConfig}). SIGTERM stops it after the message in
 * flight.
 */
public final class NotifierMain {

    private static final Logger log = LoggerFactory.getLogger(NotifierMain.class);

    private NotifierMain() {
    }

    public static void main(String[] args) throws Exception {
        NotifierConfig config;
        try {
            config = NotifierConfig.from(ApiConfig.load(null, System.getenv()));
        } catch (AppConfig.ConfigException e) {
            System.err.println("notifier: " + e.getMessage());
            System.exit(2);
            return;
        }
        Clock clock = Clock.systemUTC();
        Properties kafka = config.kafka();
        try (Database database = Database.open(config.jdbcUrl(), config.dbUser(), config.dbPassword(), 4);
             SmtpMailSender mail = new SmtpMailSender(config.smtpHost(), config.smtpPort(), config.smtpTransport(),
                     config.smtpUser(), config.smtpPassword(), config.mailFrom())) {
            PrometheusMeterRegistry registry = AppMetrics.prometheus("notifier");
            Notifier notifier = start(kafka, database, mail, new LoggingSmsSender(),
                    new Retention(config.retentionMonths()), clock, Notifier.RETRY_AFTER, registry);
            try (HealthServer health = HealthServer.start("notifier", config.healthPort(),
                    () -> database.reachable() ? Optional.empty() : Optional.of("the database does not answer"),
                    registry::scrape)) {
                Runtime.getRuntime().addShutdownHook(new Thread(notifier::close, "notifier-shutdown"));
                log.info("notifier started config='{}' healthPort={}", config, health.port());
                notifier.run();
            }
        }
    }

    /** The notifier wired over a database and senders; the caller runs it. */
    public static Notifier start(Properties kafka, Database database, MailSender mail, SmsSender sms,
                                 Retention retention, Clock clock, Duration retryAfter) {
        return start(kafka, database, mail, sms, retention, clock, retryAfter, new SimpleMeterRegistry());
    }

    /** @param registry counts the notifications sent and failed by kind */
    public static Notifier start(Properties kafka, Database database, MailSender mail, SmsSender sms,
                                 Retention retention, Clock clock, Duration retryAfter, MeterRegistry registry) {
        Dispatcher dispatcher = new Dispatcher(new SentLog(database.jdbi()), mail, sms, clock, registry);
        StatementDeliveries deliveries = new StatementDeliveries(database.jdbi(),
                new StatementQueries(database.jdbi(), retention, clock), dispatcher, clock);
        return new Notifier(kafka, database.jdbi(), dispatcher, deliveries, clock, retryAfter);
    }
}
