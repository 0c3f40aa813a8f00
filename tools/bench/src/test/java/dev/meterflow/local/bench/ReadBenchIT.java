package dev.meterflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: a smoke run of the read-side harness, so it keeps working; its numbers are not judged here. */
class ReadBenchIT {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldLoadHistoryMeasureTheApiAndTheReadModelsLagAndWriteJson() throws Exception {
        Path json = dir.resolve("read-results.json");
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        new ReadBench(new ReadBench.Options(450, 5, 2, 200, Duration.ofSeconds(2), 3, 5, 2, 2, json),
                new PrintStream(output, true, StandardCharsets.UTF_8)).run();

        JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertThat(figures.fieldNames()).toIterable()
                .containsExactly("settings", "load", "api latency ms", "read model lag");
        // 450 accounts in three batches: settings and log, 5 days of entries (2 rows) and rollups, 3 recharges
        // (entry 2 rows, payment and log, receipt), the balance
        assertThat(figures.at("/load/rows written").asLong()).isEqualTo(450L * (2 + 5 * 3 + 3 * 5 + 1));
        assertThat(figures.at("/api latency ms/statement-pdf p99").asDouble()).isPositive();
        assertThat(figures.at("/read model lag/events produced").asLong()).isPositive();
        assertThat(figures.at("/read model lag/transactions not stored when it stopped waiting").asInt()).isZero();
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("read model lag:", "figures written to");
    }
}
