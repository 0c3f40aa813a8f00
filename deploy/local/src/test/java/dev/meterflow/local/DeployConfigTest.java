package dev.meterflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.config.AppConfig;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.worker.config.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The launch configurations shipped under deploy/config load as they are, and need nothing but the key. */
class DeployConfigTest {

    private static final Path CONFIG = Path.of("..", "config");

    @Test
    void shouldLoadTheShippedMeteringConfiguration() {
        MeteringConfig config = MeteringConfig.load(CONFIG.resolve("metering-topology.properties"),
                Map.of("METERFLOW_BOOTSTRAP_SERVERS", "kafka-1:9092"));

        assertThat(config.get(MeteringConfig.BOOTSTRAP_SERVERS)).isEqualTo("kafka-1:9092");
        assertThat(config.streamsProperties().getProperty("replication.factor")).isEqualTo("3");
        assertThat(config.dedupRetention()).isEqualTo(Duration.ofDays(36));
    }

    @Test
    void shouldShipStandbyReplicasAndTakeEachInstancesStaticNameFromItsEnvironment() {
        Properties metering = MeteringConfig.load(CONFIG.resolve("metering-topology.properties"),
                Map.of("METERFLOW_KAFKA_GROUP_INSTANCE_ID", "metering-topology-0")).streamsProperties();

        assertThat(metering).containsEntry("num.standby.replicas", "1")
                .containsEntry("group.instance.id", "metering-topology-0");
    }

    @Test
    void shouldLoadTheShippedWorkerConfigurationWithTheKeyFromTheEnvironmentOnly() {
        WorkerConfig withoutKey = WorkerConfig.load(CONFIG.resolve("recharge-worker.properties"), Map.of());
        assertThatThrownBy(withoutKey::gatewayApiKey)
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessageContaining("METERFLOW_GATEWAY_API_KEY");

        WorkerConfig config = WorkerConfig.load(CONFIG.resolve("recharge-worker.properties"),
                Map.of("METERFLOW_GATEWAY_API_KEY", "sk_test_from_the_environment"));
        assertThat(config.gatewayApiKey()).isEqualTo("sk_test_from_the_environment");
        assertThat(config.get(WorkerConfig.GATEWAY_BASE_URL)).isEqualTo("https://api.stripe.com");
    }

    @Test
    void shouldPassTheSecuritySettingsOfTheEnvironmentToTheKafkaClientsButNeverTheGatewayKey() {
        Map<String, String> environment = Map.of(
                "METERFLOW_GATEWAY_API_KEY", "sk_test_never_in_a_kafka_config",
                "METERFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "METERFLOW_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "METERFLOW_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "METERFLOW_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/meterflow/tls/truststore.p12",
                "METERFLOW_KAFKA_CONFIG_PROVIDERS", "file");

        Map<String, Object> worker = WorkerConfig.load(CONFIG.resolve("recharge-worker.properties"), environment)
                .kafkaClientProperties();
        Properties metering = MeteringConfig.load(CONFIG.resolve("metering-topology.properties"), environment)
                .streamsProperties();

        assertThat(worker).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/meterflow/tls/truststore.p12")
                .containsEntry("config.providers", "file").containsKey("sasl.jaas.config");
        assertThat(metering).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("config.providers", "file").containsKey("sasl.jaas.config");
        assertThat(worker.values()).doesNotContain("sk_test_never_in_a_kafka_config");
        assertThat(worker.keySet()).noneMatch(key -> key.startsWith("meterflow."));
    }

    @Test
    void shouldStopWithOneLineNamingABadKey() {
        assertThatThrownBy(() -> WorkerConfig.load(CONFIG.resolve("recharge-worker.properties"),
                Map.of("METERFLOW_MAX_IN_FLIGHT", "lots")))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("meterflow.max-in-flight must be a whole number, was 'lots'");
    }
}
