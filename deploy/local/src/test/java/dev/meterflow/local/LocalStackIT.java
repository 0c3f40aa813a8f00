package dev.meterflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.local.stack.LocalStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, shortened: the whole pipeline runs and every invariant holds. */
class LocalStackIT {

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldRunTheWholePipelineAndKeepEveryInvariant() throws InterruptedException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        LocalStack stack = new LocalStack(new LocalStack.Options(12, 60, Duration.ofSeconds(8), null, dataDir, 2, 20),
                new PrintStream(output, true, StandardCharsets.UTF_8));

        LocalStack.Summary summary = stack.run();
        summary.print(new PrintStream(output, true, StandardCharsets.UTF_8));

        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(summary.ok()).as(printed).isTrue();
        assertThat(summary.debited()).isEqualTo(summary.distinctEvents()).isPositive();
        assertThat(summary.succeeded()).as("the seeded accounts start at $0 and recharge").isPositive();
        assertThat(summary.declined()).as("account 7's cards both decline").isPositive();
        assertThat(summary.charges()).isEqualTo(summary.receipts());
        assertThat(printed).contains("events/s", "all invariants hold");
    }
}
