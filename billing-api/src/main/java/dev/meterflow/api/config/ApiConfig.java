package dev.meterflow.api.config;

import dev.meterflow.api.BillingApi;
import dev.meterflow.api.access.LoginPolicy;
import dev.meterflow.api.readmodel.Retention;
import dev.meterflow.config.AppConfig;
import dev.meterflow.health.HealthServer;
import dev.meterflow.config.AppConfig.Key;
import dev.meterflow.config.KafkaKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration of the billing API and its notifier, one set of keys so both run from one environment:
 * defaults, then a properties file, then the environment. Passwords are secrets: from the environment or a
 * file, never a committed file.
 */
public final class ApiConfig {

    public static final Key BOOTSTRAP_SERVERS = Key.of("bootstrap.servers", "localhost:9092",
            "Kafka brokers the read model reads from and commands are written to.");
    public static final Key DB_URL = Key.of("meterflow.db.url", "",
            "JDBC URL of the read model's PostgreSQL; empty starts an embedded PostgreSQL in"
                    + " meterflow.db.embedded-dir.");
    public static final Key DB_USER = Key.of("meterflow.db.user", "postgres", "Database user.");
    public static final Key DB_PASSWORD = Key.secret("meterflow.db.password",
            "Database password. Prefer the environment or meterflow.db.password-file.");
    public static final Key DB_PASSWORD_FILE = Key.of("meterflow.db.password-file", "",
            "A file holding the database password (for example a mounted secret).");
    public static final Key DB_EMBEDDED_DIR = Key.of("meterflow.db.embedded-dir", "data/billing-api/postgres",
            "Data directory of the embedded PostgreSQL (only when meterflow.db.url is empty).");
    public static final Key DB_POOL_SIZE = Key.of("meterflow.db.pool-size", "8", "Database connections (HikariCP).");
    public static final Key HOST = Key.of("meterflow.api.host", "127.0.0.1", "Address the HTTP API listens on.");
    public static final Key PORT = Key.of("meterflow.api.port", "8090", "Port of the HTTP API.");
    public static final Key RETENTION_MONTHS = Key.of("meterflow.read-model.retention-months", "25",
            "Months of daily usage, closing balances, payments, payment commands, settings versions and refusals"
                    + " kept; older months are dropped whole.");
    public static final Key MAX_BATCH = Key.of("meterflow.read-model.max-batch", "500",
            "Records written to the read model per transaction at most.");
    public static final Key WRITE_WAIT = Key.of("meterflow.api.write-wait", "PT3S",
            "How long a write waits for the read model to show it before answering 'saved, still applying'.");
    public static final Key LOGIN_MAX_FAILURES = Key.of("meterflow.login.max-failures", "5",
            "Wrong passwords in a row that lock a user out.");
    public static final Key LOGIN_LOCKOUT = Key.of("meterflow.login.lockout", "PT15M", "How long a lock-out lasts.");
    public static final Key LOGINS_PER_MINUTE = Key.of("meterflow.login.per-minute", "20",
            "Sign-in attempts a minute allowed from one client address.");
    public static final Key SESSION_LIFETIME = Key.of("meterflow.session.lifetime", "PT8H",
            "How long a session cookie stays valid.");

    public static final Key SMTP_HOST = Key.of("meterflow.smtp.host", "",
            "SMTP server the notifier sends billing emails through (the notifier needs it).");
    public static final Key SMTP_PORT = Key.of("meterflow.smtp.port", "587", "Port of the SMTP server.");
    public static final Key SMTP_TRANSPORT = Key.of("meterflow.smtp.transport", "SMTP_TLS",
            "SMTP (plain), SMTP_TLS (STARTTLS) or SMTPS.");
    public static final Key SMTP_USER = Key.of("meterflow.smtp.user", "", "SMTP user; empty sends unauthenticated.");
    public static final Key SMTP_PASSWORD = Key.secret("meterflow.smtp.password",
            "SMTP password. Prefer the environment or meterflow.smtp.password-file.");
    public static final Key SMTP_PASSWORD_FILE = Key.of("meterflow.smtp.password-file", "",
            "A file holding the SMTP password.");
    public static final Key MAIL_FROM = Key.of("meterflow.mail.from", "",
            "Sender address of billing emails (the notifier needs it).");
    public static final Key METERING_APPLICATION_ID = Key.of("meterflow.api.metering-application-id",
            "metering-topology", "The metering app's application.id: a settings write answers 'applied' or 'refused'"
                    + " once that consumer group has committed past it; empty answers 'applied' as soon as the read"
                    + " model shows it (for an API not allowed to describe that group).");
    public static final Key HEALTH_PORT = Key.of(HealthServer.PORT_KEY, "0", "Port of the API's /metrics,"
            + " /health/live and /health/ready (0 picks a free one and logs it).");
    public static final Key NOTIFIER_HEALTH_PORT = Key.of("meterflow.notifier.health-port", "0", "Port of the"
            + " notifier's /metrics, /health/live and /health/ready (0 picks a free one and logs it).");

    public static final List<Key> KEYS = List.of(BOOTSTRAP_SERVERS, DB_URL, DB_USER, DB_PASSWORD, DB_PASSWORD_FILE,
            DB_EMBEDDED_DIR, DB_POOL_SIZE, HOST, PORT, RETENTION_MONTHS, MAX_BATCH, WRITE_WAIT, LOGIN_MAX_FAILURES,
            LOGIN_LOCKOUT, LOGINS_PER_MINUTE, SESSION_LIFETIME, SMTP_HOST, SMTP_PORT, SMTP_TRANSPORT, SMTP_USER,
            SMTP_PASSWORD, SMTP_PASSWORD_FILE, MAIL_FROM,
            METERING_APPLICATION_ID, HEALTH_PORT, NOTIFIER_HEALTH_PORT);

    private final AppConfig config;

    private ApiConfig(AppConfig config) {
        this.config = config;
    }

    public static ApiConfig load(Path file, Map<String, String> environment) {
        return new ApiConfig(AppConfig.load(KEYS, KafkaKeys.clients(), file, environment));
    }

    public static ApiConfig of(Properties overrides) {
        return new ApiConfig(AppConfig.of(KEYS, overrides));
    }

    public String get(Key key) {
        return config.get(key);
    }

    public boolean embeddedDatabase() {
        return get(DB_URL).isBlank();
    }

    public int poolSize() {
        return config.integerAtLeast(DB_POOL_SIZE, 2);
    }

    /** The password from the environment or the file; empty when neither is set (trust or peer auth). */
    public String dbPassword() {
        return secret(DB_PASSWORD, DB_PASSWORD_FILE);
    }

    /** The SMTP password from the environment or the file; empty when neither is set. */
    public String smtpPassword() {
        return secret(SMTP_PASSWORD, SMTP_PASSWORD_FILE);
    }

    /** The Kafka client settings: {@code bootstrap.servers} and any other client key given. */
    public Properties kafka() {
        return config.kafkaProperties();
    }

    public int integer(Key key) {
        return config.integer(key);
    }

    public int retentionMonths() {
        return config.integerAtLeast(RETENTION_MONTHS, 1);
    }

    private String secret(Key value, Key file) {
        String password = get(value);
        if (password != null && !password.isBlank()) {
            return password;
        }
        String path = get(file);
        if (path.isBlank()) {
            return "";
        }
        try {
            return Files.readString(Path.of(path)).strip();
        } catch (IOException e) {
            throw new AppConfig.ConfigException(file.name() + ": cannot read " + path + ": " + e.getMessage());
        }
    }

    public BillingApi.Options options() {
        int port = config.integer(PORT);
        if (port < 0 || port > 65_535) {
            throw new AppConfig.ConfigException(PORT.name() + " must be a port number (0 picks a free one), was "
                    + port);
        }
        return new BillingApi.Options(config.kafkaProperties(), get(HOST), port,
                new Retention(retentionMonths()), config.integerAtLeast(MAX_BATCH, 1),
                config.duration(WRITE_WAIT), loginPolicy(), config.integerAtLeast(LOGINS_PER_MINUTE, 1),
                config.duration(SESSION_LIFETIME), get(METERING_APPLICATION_ID).strip());
    }

    /** A port key's value: 0 to 65535. */
    public int port(Key key) {
        int port = config.integer(key);
        if (port < 0 || port > 65_535) {
            throw new AppConfig.ConfigException(key.name() + " must be a port number (0 picks a free one), was "
                    + port);
        }
        return port;
    }

    private LoginPolicy loginPolicy() {
        var lockout = config.duration(LOGIN_LOCKOUT);
        if (lockout.isZero()) {
            throw new AppConfig.ConfigException(LOGIN_LOCKOUT.name() + " must be more than zero");
        }
        return new LoginPolicy(config.integerAtLeast(LOGIN_MAX_FAILURES, 1), lockout);
    }
}
