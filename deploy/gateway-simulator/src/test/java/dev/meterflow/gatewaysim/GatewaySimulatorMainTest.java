package dev.meterflow.gatewaysim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GatewaySimulatorMainTest {

    @Test
    void shouldRefuseAnOutOfRangeOptionWithOneLineNamingIt() {
        StringWriter errors = new StringWriter();
        CommandLine command = new CommandLine(new GatewaySimulatorMain()).setErr(new PrintWriter(errors));

        int exitCode = command.execute("--port", "0", "--error-rate", "1.5");

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(errors.toString().lines().findFirst()).hasValue("errorRate must be between 0.0 and 1.0, was 1.5");
    }
}
