package dev.meterflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A smoke run of the harness, so it keeps working; its numbers are not judged here (issue 13's figures are there). */
class BenchIT {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldMeasureEveryPhaseAndWriteTheFiguresAsJson() throws Exception {
        Path json = dir.resolve("results.json");
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        // one workload, one latency run: the harness's parts, not its figures (the skewed workload's share shows the
        // chooser is wired in; both workloads share every other step)
        new Bench(new Bench.Options(3_000, 300, 2, 1, 100, Duration.ofSeconds(2), 20, 1, List.of("skewed"), 1.1, true,
                100, 10, 50, 50, dir.resolve("data"), json, Map.of()), new PrintStream(output, true, StandardCharsets.UTF_8)).run();

        JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertThat(figures.fieldNames()).toIterable().containsExactly("settings", "skewed", "worker");
        assertThat(figures.at("/settings/partitions").asInt()).isEqualTo(2);
        assertThat(figures.at("/skewed").fieldNames()).toIterable()
                .containsExactly("preload", "baseline", "metering", "latency", "state", "postgres peer");
        assertThat(figures.at("/skewed/preload/share of events from the busiest 1% of accounts").asDouble())
                .as("3 busiest of 300 accounts").isGreaterThan(0.2);
        assertThat(figures.at("/skewed/baseline/producer only, events~1s").asLong()).isPositive();
        assertThat(figures.at("/skewed/baseline/consumer only, events~1s").asLong()).isPositive();
        assertThat(figures.at("/skewed/metering/events~1s").asLong()).isPositive();
        assertThat(figures.at("/skewed/metering/records written per usage event").asDouble())
                .as("at least the ledger entry per event").isGreaterThanOrEqualTo(1);
        assertThat(figures.at("/skewed/metering/records written per usage event, by topic/ledger-entries").asDouble())
                .isPositive();
        assertThat(figures.at("/skewed/metering/store reads per record processed").isNumber()).isTrue();
        assertThat(figures.at("/skewed/metering/store reads per record processed, by store").has("dedup-store"))
                .isTrue();
        // issue 13: the CPU per usage event by thread group, with no profiler
        JsonNode meteringCpu = figures.at("/skewed/metering/CPU microseconds per usage event, by thread group");
        assertThat(meteringCpu.at("/stream threads").asDouble()).isPositive();
        assertThat(meteringCpu.at("/stream threads: Kafka client I~1O threads").asDouble()).isPositive();
        assertThat(meteringCpu.at("/broker: request handlers").asDouble()).isPositive();
        assertThat(meteringCpu.at("/broker: network threads").asDouble()).isPositive();
        assertThat(meteringCpu.at("/whole JVM").asDouble()).isPositive();
        assertThat(figures.at("/skewed/metering/cores busy: this JVM").asDouble()).isPositive();
        JsonNode copyCpu = figures.at("/skewed/baseline/CPU microseconds per usage event, by thread group");
        assertThat(copyCpu.at("/copy loop").asDouble()).isPositive();
        assertThat(copyCpu.at("/broker: request handlers").asDouble()).isPositive();
        assertThat(copyCpu.at("/whole JVM").asDouble()).isPositive();
        assertThat(figures.at("/skewed/latency/ledger entries measured").asLong()).isPositive();
        assertThat(figures.at("/skewed/postgres peer/events~1s").asLong()).isPositive();
        assertThat(figures.at("/skewed/postgres peer/usage -> commit p99 ms").asLong()).isNotNegative();
        assertThat(figures.at("/worker/requests answered").asInt()).isEqualTo(10);
        assertThat(figures.at("/worker/duplicate charges").asInt()).isZero();
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("baseline:", "metering:", "metering/baseline", "PostgreSQL peer", "figures written to");
    }
}
