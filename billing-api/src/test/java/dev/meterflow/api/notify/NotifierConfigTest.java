package dev.meterflow.api.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

        assertThatThrownBy(() -> NotifierConfig.from(env)).hasMessage("METERFLOW_SMTP_HOST is required and not set");
    }

    @Test
    void shouldNameAWrongPortOrTransport() {
        Map<String, String> env = complete();
        env.put("METERFLOW_SMTP_PORT", "seven");
        assertThatThrownBy(() -> NotifierConfig.from(env)).hasMessageStartingWith("METERFLOW_SMTP_PORT must be");
        env.put("METERFLOW_SMTP_PORT", "25");
        env.put("METERFLOW_SMTP_TRANSPORT", "TLS");
        assertThatThrownBy(() -> NotifierConfig.from(env)).hasMessageStartingWith("METERFLOW_SMTP_TRANSPORT must be");
    }

    @Test
    void shouldReadThePasswordFromAFileAndNeverShowIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("db-password");
        Files.writeString(file, "s3cret-from-file\n");
        Map<String, String> env = complete();
        env.put("METERFLOW_DB_PASSWORD_FILE", file.toString());

        NotifierConfig config = NotifierConfig.from(env);

        assertThat(config.dbPassword()).isEqualTo("s3cret-from-file");
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    private static Map<String, String> complete() {
        Map<String, String> env = new HashMap<>();
        env.put("METERFLOW_BOOTSTRAP_SERVERS", "broker:9092");
        env.put("METERFLOW_DB_URL", "jdbc:postgresql://db/meterflow");
        env.put("METERFLOW_DB_USER", "meterflow");
        env.put("METERFLOW_DB_PASSWORD", "s3cret-from-env");
        env.put("METERFLOW_SMTP_HOST", "smtp.example.test");
        env.put("METERFLOW_MAIL_FROM", "billing@example.test");
        return env;
    }
}
