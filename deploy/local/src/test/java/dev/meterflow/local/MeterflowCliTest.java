package dev.meterflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The operator commands' usage errors answer with exit code 2 and one line, before touching a cluster. */
class MeterflowCliTest {

    private final StringWriter errors = new StringWriter();

    @Test
    void shouldRefuseReconcileWithoutABootstrapServer() {
        assertThat(execute("reconcile")).isEqualTo(2);
        assertThat(errors.toString()).contains("Missing required option: '--bootstrap-servers");
    }

    @Test
    void shouldRefuseAGatewayKeyFileWithoutTheGateway() {
        assertThat(execute("reconcile", "--bootstrap-servers", "localhost:1", "--gateway-api-key-file", "key"))
                .isEqualTo(2);
        assertThat(errors.toString()).contains("--gateway-api-key-file needs --gateway-base-url");
    }

    @Test
    void shouldRefuseASinceThatIsNeitherAnInstantNorATimeAgo() {
        assertThat(execute("reconcile", "--bootstrap-servers", "localhost:1", "--since", "yesterday")).isEqualTo(2);
        assertThat(errors.toString()).contains("'yesterday' is not an instant");
    }

    @Test
    void shouldReadSinceAsAnInstantOrATimeAgo() {
        assertThat(MeterflowCli.instant("2026-11-26T13:00:00Z")).isEqualTo(Instant.parse("2026-11-26T13:00:00Z"));
        assertThat(MeterflowCli.instant("30m")).isBetween(Instant.now().minus(Duration.ofMinutes(31)),
                Instant.now().minus(Duration.ofMinutes(29)));
    }

    @Test
    void shouldRefuseToScanALogThatDoesNotExist(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThat(execute("scan-secrets", "--bootstrap-servers", "localhost:1", "--logs",
                dir.resolve("missing.log").toString())).isEqualTo(2);
        assertThat(errors.toString()).contains("missing.log: no such file");
    }

    @Test
    void shouldRefuseASecretEnvironmentVariableThatIsNotSet() {
        assertThat(execute("scan-secrets", "--bootstrap-servers", "localhost:1", "--secret-env",
                "METERFLOW_TEST_SURELY_UNSET_VARIABLE")).isEqualTo(2);
        assertThat(errors.toString()).contains("METERFLOW_TEST_SURELY_UNSET_VARIABLE: the environment variable is not set");
    }

    /** Issue 16, item 8: --version printed nothing. */
    @Test
    void shouldPrintTheVersion() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = MeterflowCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));

        assertThat(commandLine.execute("--version")).isZero();
        assertThat(out.toString().strip()).isEqualTo("meterflow " + dev.meterflow.config.MeterflowVersion.get());
    }

    @Test
    void shouldRefuseAReplicationOfZero() {
        assertThat(execute("provision-topics", "--bootstrap-servers", "localhost:1", "--replication", "0"))
                .isEqualTo(2);
        assertThat(errors.toString()).contains("--replication at least 1 (or -1, the broker's default)");
    }

    /** Issue 16, item 8: a Kafka client setting it cannot use is a usage error in one line, not a trace. */
    @Test
    void shouldAnswerUnusableClientSettingsOfProvisioningWithOneLineAndExit2(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        Path config = dir.resolve("client.properties");
        java.nio.file.Files.writeString(config, "security.protocol=FOO\n");

        assertThat(execute("provision-topics", "--bootstrap-servers", "localhost:1", "--command-config",
                config.toString())).isEqualTo(2);
        assertThat(errors.toString().strip()).startsWith("provision-topics: Kafka client settings: ")
                .contains("security.protocol").doesNotContain("\n");
    }

    private int execute(String... args) {
        CommandLine commandLine = MeterflowCli.commandLine();
        commandLine.setErr(new PrintWriter(errors, true));
        return commandLine.execute(args);
    }
}
