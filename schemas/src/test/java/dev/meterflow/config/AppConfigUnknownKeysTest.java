package dev.meterflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.config.AppConfig.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16, found item 7: misspelt keys were ignored silently. */
class AppConfigUnknownKeysTest {

    private static final Key RETENTION = Key.of("meterflow.dedup.retention", "P36D", "dedup horizon");
    private static final Key RATE_LIMIT = Key.of("meterflow.gateway.rate-limit", "20", "calls per second");
    private static final Key BOOTSTRAP = Key.of("bootstrap.servers", "localhost:9092", "brokers");
    private static final List<Key> KEYS = List.of(RETENTION, RATE_LIMIT, BOOTSTRAP);

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAMisspeltOwnKeyInTheFileAndSuggestTheNearest() throws IOException {
        Path file = file("meterflow.dedup.retnetion=P40D\n");

        assertThatThrownBy(() -> AppConfig.load(KEYS, KafkaKeys.clients(), file, Map.of()))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("unknown key 'meterflow.dedup.retnetion' in " + file
                        + "; did you mean 'meterflow.dedup.retention'?");
    }

    @Test
    void shouldRefuseAMisspeltKafkaKeyAndSuggestTheClientsOwn() throws IOException {
        Path file = file("max.poll.record=10\nsecurity.protocol=SSL\n");

        assertThatThrownBy(() -> AppConfig.load(KEYS, KafkaKeys.clients(), file, Map.of()))
                .hasMessage("unknown key 'max.poll.record' in " + file + "; did you mean 'max.poll.records'?");
    }

    @Test
    void shouldRefuseAMisspeltVariableAndSuggestTheNearest() {
        assertThatThrownBy(() -> AppConfig.load(KEYS, KafkaKeys.clients(), null,
                Map.of("METERFLOW_GATEWAY_RATE_LIMT", "5", "PATH", "/bin")))
                .hasMessage("unknown environment variable METERFLOW_GATEWAY_RATE_LIMT; "
                        + "did you mean METERFLOW_GATEWAY_RATE_LIMIT?");
    }

    @Test
    void shouldRefuseAKafkaVariableThatNamesNoKafkaKey() {
        assertThatThrownBy(() -> AppConfig.load(KEYS, KafkaKeys.clients(), null,
                Map.of("METERFLOW_KAFKA_SECURITY_PROTOCL", "SSL")))
                .hasMessage("environment variable METERFLOW_KAFKA_SECURITY_PROTOCL sets 'security.protocl', not a "
                        + "Kafka client key; did you mean 'security.protocol'?");
    }

    @Test
    void shouldNameEveryUnknownKeyOnOneLine() throws IOException {
        Path file = file("meterflow.nonsense=1\nmeterflow.dedup.retnetion=P40D\n");

        assertThatThrownBy(() -> AppConfig.load(KEYS, KafkaKeys.clients(), file, Map.of()))
                .hasMessageContaining("'meterflow.dedup.retnetion'").hasMessageContaining("'meterflow.nonsense'")
                .hasMessageNotContaining("\n");
    }

    @Test
    void shouldAcceptDocumentedKeysKafkaKeysConfigProvidersAndTheSharedGatewayKey() throws IOException {
        Path file = file("meterflow.dedup.retention=P40D\nsecurity.protocol=SASL_SSL\n"
                + "config.providers=file\nconfig.providers.file.class=org.apache.kafka.common.config.provider."
                + "FileConfigProvider\n");

        AppConfig config = AppConfig.load(KEYS, KafkaKeys.clients(), file, Map.of(
                "METERFLOW_GATEWAY_RATE_LIMIT", "5", "METERFLOW_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "METERFLOW_GATEWAY_API_KEY", "sk_test_shared_by_the_shell"));

        assertThat(config.get(RETENTION)).isEqualTo("P40D");
        assertThat(config.kafkaProperties().getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
    }

    @Test
    void shouldNotSuggestAKeyThatIsNothingLikeTheUnknownOne() throws IOException {
        Path file = file("meterflow.colour=blue\n");

        assertThatThrownBy(() -> AppConfig.load(KEYS, KafkaKeys.clients(), file, Map.of()))
                .hasMessage("unknown key 'meterflow.colour' in " + file);
    }

    private Path file(String content) throws IOException {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, content);
        return file;
    }
}
