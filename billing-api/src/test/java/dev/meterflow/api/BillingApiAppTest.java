package dev.meterflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.config.MeterflowVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue 14, §5: the billing API takes the apps' shared command line, and with it a --version that says one. */
class BillingApiAppTest {

    @Test
    void shouldPrintTheVersion() {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new BillingApiApp()).setOut(new PrintWriter(out)).execute("--version");

        assertThat(exit).isZero();
        assertThat(out.toString().strip()).isEqualTo("billing-api " + MeterflowVersion.get());
    }
}
