package dev.meterflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 13 §4: the arithmetic behind bench-state's figures. */
class StateFiguresTest {

    @Test
    void shouldDivideBytesByWhatTheyStoreToATenth() {
        assertThat(StateFigures.bytesPer(123_456_789, 1_000_000)).hasValue(123.5);
        assertThat(StateFigures.bytesPer(0, 10)).hasValue(0.0);
    }

    @Test
    void shouldGiveNoFigureWhenNothingWasStored() {
        assertThat(StateFigures.bytesPer(4096, 0)).isEmpty();
        assertThatThrownBy(() -> StateFigures.bytesPer(-1, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldScaleRestoreSecondsToAMillionAccounts() {
        assertThat(StateFigures.secondsPerMillion(12.5, 250_000)).isEqualTo(50.0);
        assertThat(StateFigures.secondsPerMillion(3.0, 3_000_000)).isEqualTo(1.0);
        assertThatThrownBy(() -> StateFigures.secondsPerMillion(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldGiveRecordsPerSecondAndNothingForNoTime() {
        assertThat(StateFigures.perSecond(1_000_000, 8.0)).isEqualTo(125_000);
        assertThat(StateFigures.perSecond(10, 0)).isZero();
    }

    @Test
    void shouldTimeEachMovedPartitionFromTheKillAndTakeTheSlowest() {
        Map<Integer, Double> seconds = StateFigures.secondsUntilOutput(1_000_000, Map.of(3, 1_046_500L, 1, 1_012_250L));

        assertThat(seconds).containsExactly(Map.entry(1, 12.25), Map.entry(3, 46.5));
        assertThat(StateFigures.slowest(seconds)).hasValue(46.5);
        assertThat(StateFigures.slowest(Map.of())).isEmpty();
    }

    @Test
    void shouldRefuseOutputSeenBeforeTheKill() {
        assertThatThrownBy(() -> StateFigures.secondsUntilOutput(1_000_000, Map.of(0, 999_999L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partition 0");
    }

    @Test
    void shouldCountAStoresFilesUnderItsTasksAndSegments() {
        List<String> stores = List.of("dedup-store", "account-state-store", "account-settings-store");

        assertThat(StoreSizes.storeOf(Path.of("bench/0_1/rocksdb/account-state-store/000012.sst"), stores))
                .hasValue("account-state-store");
        assertThat(StoreSizes.storeOf(Path.of("bench/0_1/dedup-store/dedup-store.1764460800000/000009.sst"),
                stores)).hasValue("dedup-store");
        assertThat(StoreSizes.storeOf(Path.of("bench/0_1/.checkpoint"), stores)).isEmpty();
    }
}
