package dev.meterflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 6: the operator's commands take Kafka client settings from {@code --command-config}, as Kafka's tools do. */
class CommandConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldHandTheCommandConfigToTheClientsWithTheBrokersOfTheOption() throws IOException {
        Path file = dir.resolve("admin.properties");
        Files.writeString(file, """
                bootstrap.servers=from-the-file:9092
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                  username="meterflow-ops" password="${file:/run/secrets/ops.properties:password}";
                """);

        Properties client = MeterflowCli.clientProperties("kafka-1:9093", file);

        assertThat(client.getProperty("bootstrap.servers")).isEqualTo("kafka-1:9093");
        assertThat(client.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(client.getProperty("sasl.jaas.config")).isEqualTo("org.apache.kafka.common.security.scram."
                + "ScramLoginModule required username=\"meterflow-ops\" "
                + "password=\"${file:/run/secrets/ops.properties:password}\";");
    }

    @Test
    void shouldNeedNothingButTheBrokersWithoutACommandConfig() {
        assertThat(MeterflowCli.clientProperties("kafka-1:9092", null))
                .containsOnlyKeys("bootstrap.servers").containsEntry("bootstrap.servers", "kafka-1:9092");
    }

    @Test
    void shouldNameACommandConfigItCannotRead() {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> MeterflowCli.clientProperties("kafka-1:9092", missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot read --command-config " + missing);
    }

    @Test
    void shouldStopProvisioningWithOneLineWhenTheCommandConfigIsMissing() {
        Path missing = dir.resolve("missing.properties");
        StringWriter err = new StringWriter();
        CommandLine meterflow = MeterflowCli.commandLine();
        meterflow.setErr(new PrintWriter(err, true));

        int exitCode = meterflow.execute("provision-topics", "--bootstrap-servers", "kafka-1:9093",
                "--command-config", missing.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).startsWith("provision-topics: cannot read --command-config " + missing)
                .hasLineCount(1);
    }
}
