package dev.meterflow.api.notify;

import dev.meterflow.api.config.ApiConfig;
import dev.meterflow.config.AppConfig;
import dev.meterflow.config.AppConfig.ConfigException;
import dev.meterflow.config.AppConfig.Key;
import java.util.Locale;
import java.util.Properties;
import org.simplejavamail.api.mailer.config.TransportStrategy;

/**
 * What the notifier needs of the billing API's configuration ({@link ApiConfig}: the same keys, file and
 * environment, so the two run from one environment); a missing or wrong key is a {@link ConfigException}
 * naming it.
 */
public record NotifierConfig(Properties kafka, String jdbcUrl, String dbUser, String dbPassword, String smtpHost,
                             int smtpPort, TransportStrategy smtpTransport, String smtpUser, String smtpPassword,
                             String mailFrom, int retentionMonths, int healthPort) {

    public static NotifierConfig from(ApiConfig config) {
        return new NotifierConfig(config.kafka(), required(config, ApiConfig.DB_URL), config.get(ApiConfig.DB_USER),
                config.dbPassword(), required(config, ApiConfig.SMTP_HOST), port(config), transport(config),
                config.get(ApiConfig.SMTP_USER), config.smtpPassword(), required(config, ApiConfig.MAIL_FROM),
                config.retentionMonths(), config.port(ApiConfig.NOTIFIER_HEALTH_PORT));
    }

    private static String required(ApiConfig config, Key key) {
        String value = config.get(key);
        if (value == null || value.isBlank()) {
            // the notifier sends from the API's database, so it cannot start an embedded one of its own
            throw new ConfigException(key.name() + " must be set for the notifier (" + key.description()
                    + "); environment " + AppConfig.environmentName(key.name()));
        }
        return value.strip();
    }

    private static int port(ApiConfig config) {
        int port = config.integer(ApiConfig.SMTP_PORT);
        if (port < 1 || port > 65_535) {
            throw new ConfigException(ApiConfig.SMTP_PORT.name() + " must be a port number, was " + port);
        }
        return port;
    }

    private static TransportStrategy transport(ApiConfig config) {
        String value = config.get(ApiConfig.SMTP_TRANSPORT).strip().toUpperCase(Locale.ROOT);
        try {
            return TransportStrategy.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ApiConfig.SMTP_TRANSPORT.name() + " must be SMTP, SMTP_TLS or SMTPS, was '"
                    + value + "'");
        }
    }

    @Override
    public String toString() {
        // no passwords in logs
        return "NotifierConfig[bootstrapServers=" + kafka.getProperty("bootstrap.servers") + ", jdbcUrl=" + jdbcUrl
                + ", smtpHost=" + smtpHost + ":" + smtpPort + ", mailFrom=" + mailFrom + "]";
    }
}
