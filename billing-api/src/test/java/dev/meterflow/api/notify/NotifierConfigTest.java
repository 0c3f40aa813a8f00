package dev.meterflow.api.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.api.config.ApiConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifierConfigTest {

    @Test
    void shouldNameTheMissingKey() {
        Map<String, String> env = complete();
        env.remove("METERFLOW_SMTP_HOST");

        assertThatThrownBy(() -> config(env)).hasMessageStartingWith("meterflow.smtp.host must be set for the"
                + " notifier").hasMessageEndingWith("environment METERFLOW_SMTP_HOST");
    }

    @Test
    void shouldNameAWrongPortOrTransport() {
        Map<String, String> env = complete();
        env.put("METERFLOW_SMTP_PORT", "seven");
        assertThatThrownBy(() -> config(env)).hasMessageStartingWith("meterflow.smtp.port must be");
        env.put("METERFLOW_SMTP_PORT", "25");
        env.put("METERFLOW_SMTP_TRANSPORT", "TLS");
        assertThatThrownBy(() -> config(env)).hasMessageStartingWith("meterflow.smtp.transport must be");
    }

    @Test
    void shouldReadThePasswordFromAFileAndNeverShowIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("smtp-password");
        Files.writeString(file, "s3cret-from-file\n");
        Map<String, String> env = complete();
        env.put("METERFLOW_SMTP_PASSWORD_FILE", file.toString());

        NotifierConfig config = config(env);

        assertThat(config.smtpPassword()).isEqualTo("s3cret-from-file");
        assertThat(config.dbPassword()).isEqualTo("s3cret-from-env");
        assertThat(config.toString()).doesNotContain("s3cret").contains("broker:9092");
    }

    @Test
    void shouldRunFromTheSameEnvironmentAsTheApi() {
        // the API refused to start on the notifier's METERFLOW_SMTP_* variables when each had keys of its own
        Map<String, String> env = complete();
        env.put("METERFLOW_SMTP_PASSWORD", "s3cret-smtp");

        assertThat(ApiConfig.load(null, env).options().retention().months()).isEqualTo(13);
        assertThat(config(env).retentionMonths()).isEqualTo(13);
    }

    private static NotifierConfig config(Map<String, String> env) {
        return NotifierConfig.from(ApiConfig.load(null, env));
    }

    private static Map<String, String> complete() {
        Map<String, String> env = new HashMap<>();
        env.put("METERFLOW_BOOTSTRAP_SERVERS", "broker:9092");
        env.put("METERFLOW_DB_URL", "jdbc:postgresql://db/meterflow");
        env.put("METERFLOW_DB_USER", "meterflow");
        env.put("METERFLOW_DB_PASSWORD", "s3cret-from-env");
        env.put("METERFLOW_SMTP_HOST", "smtp.example.test");
        env.put("METERFLOW_MAIL_FROM", "billing@example.test");
        env.put("METERFLOW_READ_MODEL_RETENTION_MONTHS", "13");
        return env;
    }
}
