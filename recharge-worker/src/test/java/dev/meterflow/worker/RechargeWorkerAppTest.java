package dev.meterflow.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.config.MeterflowVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue 16, item 8: --version printed nothing. */
class RechargeWorkerAppTest {

    @Test
    void shouldPrintTheVersion() {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new RechargeWorkerApp()).setOut(new PrintWriter(out)).execute("--version");

        assertThat(exit).isZero();
        assertThat(out.toString().strip()).isEqualTo("recharge-worker " + MeterflowVersion.get());
    }
}
