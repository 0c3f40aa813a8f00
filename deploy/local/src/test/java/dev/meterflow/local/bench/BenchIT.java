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

/** A smoke run of the harness, so it keeps working; its numbers are not judged here. */
class BenchIT {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldMeasureEveryPhaseAndWriteTheFiguresAsJson() throws Exception {
        Path json = dir.resolve("results.json");
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        new Bench(new Bench.Options(3_000, 300, 2, 1, 100, Duration.ofSeconds(3), 20, 10, 50, 50, dir.resolve("data"),
                json), new PrintStream(output, true, StandardCharsets.UTF_8)).run();

        JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertThat(figures.fieldNames()).toIterable()
                .containsExactly("settings", "preload", "baseline", "metering", "latency", "state", "worker");
        assertThat(figures.at("/settings/partitions").asInt()).isEqualTo(2);
        assertThat(figures.at("/metering/events~1s").asLong()).isPositive();
        assertThat(figures.at("/latency/ledger entries measured").asLong()).isPositive();
        assertThat(figures.at("/worker/requests answered").asInt()).isEqualTo(10);
        assertThat(figures.at("/worker/duplicate charges").asInt()).isZero();
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("baseline:", "metering:", "figures written to");
    }
}
