package dev.meterflow.metering.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.config.AppConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeteringConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldUseDocumentedDefaults() {
        MeteringConfig config = MeteringConfig.from(new Properties());

        assertThat(config.get(MeteringConfig.APPLICATION_ID)).isEqualTo("metering-topology");
        assertThat(config.dedupRetention()).isEqualTo(Duration.ofDays(36));
        assertThat(config.declineBackoff()).isEqualTo(Duration.ofHours(24));
        assertThat(config.maxThreadReplacements()).isEqualTo(3);
        assertThat(config.stallTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.abortHangingTransactions()).isTrue();
        // Kafka Streams' own default for its exactly-once producers
        assertThat(config.transactionTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldAlwaysRunExactlyOnceWithExplicitNamingAndTheDeadLetterQueue() {
        Properties overrides = new Properties();
        overrides.setProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);

        Properties streams = MeteringConfig.from(overrides).streamsProperties();

        assertThat(streams.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(streams.getProperty(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG)).isEqualTo("true");
        assertThat(streams.getProperty(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)).isEqualTo("metering-dlq");
        assertThat(streams.stringPropertyNames()).noneMatch(name -> name.startsWith("meterflow."));
    }

    @Test
    void shouldLetTheFileOverrideDefaultsAndTheEnvironmentOverrideTheFile() throws IOException {
        Path file = dir.resolve("metering.properties");
        Files.writeString(file, "bootstrap.servers=broker-a:9092\nmeterflow.recharge.decline-backoff=PT12H\n"
                + "application.id=from-file\n");

        MeteringConfig config = MeteringConfig.load(file, Map.of(
                "METERFLOW_APPLICATION_ID", "from-env",
                "METERFLOW_RECHARGE_DECLINE_BACKOFF", "PT6H",
                "METERFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));

        assertThat(config.get(MeteringConfig.BOOTSTRAP_SERVERS)).isEqualTo("broker-a:9092");
        assertThat(config.get(MeteringConfig.APPLICATION_ID)).isEqualTo("from-env");
        assertThat(config.declineBackoff()).isEqualTo(Duration.ofHours(6));
        assertThat(config.streamsProperties().getProperty("security.protocol")).isEqualTo("SASL_SSL");
    }

    @Test
    void shouldGiveReplayTheClientSecuritySettingsButNotTheStreamsOnes() {
        Properties overrides = new Properties();
        overrides.setProperty("bootstrap.servers", "broker-a:9093");
        overrides.setProperty("security.protocol", "SASL_SSL");
        overrides.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        overrides.setProperty("state.dir", "/var/lib/meterflow");

        Properties client = MeteringConfig.from(overrides).clientProperties();

        assertThat(client.getProperty("bootstrap.servers")).isEqualTo("broker-a:9093");
        assertThat(client.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(client.getProperty("sasl.jaas.config")).startsWith("org.apache.kafka.common.security.scram");
        assertThat(client.stringPropertyNames()).doesNotContain("application.id", "state.dir", "num.stream.threads",
                "replication.factor", "commit.interval.ms").noneMatch(name -> name.startsWith("meterflow."));
    }

    @Test
    void shouldRefuseADedupHorizonShorterThanTheContractsThirtyFiveDays() {
        Properties overrides = new Properties();
        overrides.setProperty("meterflow.dedup.retention", "P7D");

        assertThatThrownBy(() -> MeteringConfig.from(overrides))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessageContaining("meterflow.dedup.retention")
                .hasMessageContaining("P35D");
    }

    @Test
    void shouldRefuseAStallTimeoutOfZeroWhichWouldStopEveryInstanceAtOnce() {
        Properties overrides = new Properties();
        overrides.setProperty("meterflow.stall-timeout", "PT0S");

        assertThatThrownBy(() -> MeteringConfig.from(overrides))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("meterflow.stall-timeout must be above zero, was PT0S");
    }

    @Test
    void shouldRefuseATaxRunThatNeverFiresOrTaxesNothing() {
        Properties zeroInterval = new Properties();
        zeroInterval.setProperty("meterflow.tax.run-interval", "PT0S");
        Properties emptySlice = new Properties();
        emptySlice.setProperty("meterflow.tax.run-slice-size", "0");

        assertThatThrownBy(() -> MeteringConfig.from(zeroInterval))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessageContaining("meterflow.tax.run-interval");
        assertThatThrownBy(() -> MeteringConfig.from(emptySlice))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessageContaining("meterflow.tax.run-slice-size");
        assertThat(MeteringConfig.from(new Properties()).taxRunSliceSize()).isEqualTo(500);
    }

    @Test
    void shouldNameTheKeyOfAMalformedValue() {
        Properties overrides = new Properties();
        overrides.setProperty("meterflow.recharge.decline-backoff", "24 hours");

        assertThatThrownBy(() -> MeteringConfig.from(overrides))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("meterflow.recharge.decline-backoff must be an ISO-8601 duration such as PT24H, "
                        + "was '24 hours'");
    }

    @Test
    void shouldNameAMissingConfigurationFile() {
        assertThatThrownBy(() -> MeteringConfig.load(dir.resolve("absent.properties"), Map.of()))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessageContaining("absent.properties");
    }

    @Test
    void shouldMapKeysToEnvironmentVariables() {
        assertThat(AppConfig.environmentName("bootstrap.servers")).isEqualTo("METERFLOW_BOOTSTRAP_SERVERS");
        assertThat(AppConfig.environmentName("meterflow.max-thread-replacements"))
                .isEqualTo("METERFLOW_MAX_THREAD_REPLACEMENTS");
    }

    /** Issue 16, found item 7: {@code num.stream.thread} reached Kafka Streams, which ignored it. */
    @Test
    void shouldRefuseAMisspeltStreamsKeyAndAcceptClientKeysUnderTheirPrefixes() throws IOException {
        Path file = dir.resolve("metering.properties");
        Files.writeString(file, "num.stream.thread=4\n");
        assertThatThrownBy(() -> MeteringConfig.load(file, Map.of()))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("unknown key 'num.stream.thread' in " + file + "; did you mean 'num.stream.threads'?");

        Files.writeString(file, "main.consumer.max.poll.record=10\n");
        assertThatThrownBy(() -> MeteringConfig.load(file, Map.of()))
                .hasMessageContaining("did you mean 'main.consumer.max.poll.records'?");

        Files.writeString(file, "main.consumer.max.poll.records=10\nproducer.linger.ms=5\ntopic.min.insync.replicas=2\n"
                + "acceptable.recovery.lag=100\nsession.timeout.ms=45000\n");
        assertThat(MeteringConfig.load(file, Map.of()).streamsProperties().getProperty("producer.linger.ms"))
                .isEqualTo("5");
    }

    @Test
    void shouldTakeTheProducersTransactionTimeoutAndRefuseAnAbortSwitchThatIsNotABoolean() {
        Properties overrides = new Properties();
        overrides.setProperty("producer.transaction.timeout.ms", "4000");
        overrides.setProperty("meterflow.stall.abort-hanging-transactions", "false");
        MeteringConfig config = MeteringConfig.from(overrides);
        assertThat(config.transactionTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.abortHangingTransactions()).isFalse();

        overrides.setProperty("meterflow.stall.abort-hanging-transactions", "yes");
        assertThatThrownBy(() -> MeteringConfig.from(overrides))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("meterflow.stall.abort-hanging-transactions must be true or false, was 'yes'");
    }

    @Test
    void shouldLookForOrphanedTransactionsEveryTwoSecondsAndRefuseAnIntervalOfZeroOrANonBooleanSwitch() {
        MeteringConfig defaults = MeteringConfig.from(new Properties());
        assertThat(defaults.orphanedTransactionsCheckInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.abortOrphanedTransactions()).isTrue();

        Properties overrides = new Properties();
        overrides.setProperty("meterflow.orphaned-transactions.check-interval", "PT0S");
        assertThatThrownBy(() -> MeteringConfig.from(overrides))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("meterflow.orphaned-transactions.check-interval must be above zero, was PT0S");

        overrides.setProperty("meterflow.orphaned-transactions.check-interval", "PT1S");
        overrides.setProperty("meterflow.orphaned-transactions.abort", "no");
        assertThatThrownBy(() -> MeteringConfig.from(overrides))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("meterflow.orphaned-transactions.abort must be true or false, was 'no'");
    }
}
