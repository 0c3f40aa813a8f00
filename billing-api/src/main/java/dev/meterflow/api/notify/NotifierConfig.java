package dev.meterflow.api.notify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.simplejavamail.api.mailer.config.TransportStrategy;

/**
 * The notifier's settings, from environment variables; a missing or wrong one is a {@link ConfigError} naming it.
 * Passwords come from a file ({@code ..._PASSWORD_FILE}) or the environment, never from a committed file.
 */
public record NotifierConfig(String bootstrapServers, String jdbcUrl, String dbUser, String dbPassword,
                             String smtpHost, int smtpPort, TransportStrategy smtpTransport, String smtpUser,
                             String smtpPassword, String mailFrom, int retentionMonths) {

    public static NotifierConfig from(Map<String, String> env) {
        return new NotifierConfig(required(env, "METERFLOW_BOOTSTRAP_SERVERS"), required(env, "METERFLOW_DB_URL"),
                required(env, "METERFLOW_DB_USER"), secret(env, "METERFLOW_DB_PASSWORD"),
                required(env, "METERFLOW_SMTP_HOST"), number(env, "METERFLOW_SMTP_PORT", 587, 1, 65535),
                transport(env), env.get("METERFLOW_SMTP_USER"), secret(env, "METERFLOW_SMTP_PASSWORD"),
                required(env, "METERFLOW_MAIL_FROM"), number(env, "METERFLOW_RETENTION_MONTHS", 25, 1, 1200));
    }

    private static String required(Map<String, String> env, String key) {
        String value = env.get(key);
        if (value == null || value.isBlank()) {
            throw new ConfigError(key + " is required and not set");
        }
        return value.strip();
    }

    private static int number(Map<String, String> env, String key, int fallback, int min, int max) {
        String value = env.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number < min || number > max) {
                throw new ConfigError(key + " must be between " + min + " and " + max + ", was " + number);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new ConfigError(key + " must be a whole number, was '" + value + "'");
        }
    }

    private static TransportStrategy transport(Map<String, String> env) {
        String value = env.getOrDefault("METERFLOW_SMTP_TRANSPORT", "SMTP_TLS").strip();
        try {
            return TransportStrategy.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigError("METERFLOW_SMTP_TRANSPORT must be SMTP, SMTP_TLS or SMTPS, was '" + value + "'");
        }
    }

    /** {@code KEY_FILE} (the file's first line) wins over {@code KEY}; null when neither is set. */
    private static String secret(Map<String, String> env, String key) {
        String file = env.get(key + "_FILE");
        if (file == null || file.isBlank()) {
            return env.get(key);
        }
        try {
            return Files.readAllLines(Path.of(file.strip())).stream().findFirst().orElse("").strip();
        } catch (IOException e) {
            throw new ConfigError(key + "_FILE cannot be read: " + file);
        }
    }

    /** A setting that stops start-up; its message is the one line to print. */
    public static final class ConfigError extends RuntimeException {
        public ConfigError(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {
        // no passwords in logs
        return "NotifierConfig[bootstrapServers=" + bootstrapServers + ", jdbcUrl=" + jdbcUrl + ", smtpHost="
                + smtpHost + ":" + smtpPort + ", mailFrom=" + mailFrom + "]";
    }
}
