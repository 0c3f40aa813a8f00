package dev.meterflow.metering.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.health.StallDetector.Input;
import dev.meterflow.metering.health.StallDetector.Observation;
import dev.meterflow.metering.health.StallDetector.Progress;
import dev.meterflow.metering.health.StallDetector.Restore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 17: a restore or a task that makes no progress is found within a bounded time, a slow one is not. */
class StallDetectorTest {

    private static final Instant T0 = Instant.parse("2026-11-29T19:28:56Z");
    private static final Duration LIMIT = Duration.ofMinutes(5);

    @Test
    void shouldReportARestoreThatNeverMovesNamingItsTaskStoreAndOffsets() {
        Progress progress = null;
        for (int minute = 0; minute <= 5; minute++) {
            progress = StallDetector.track(progress, restoring(T0.plusSeconds(60L * minute), 117));
        }

        assertThat(StallDetector.stall(progress, LIMIT)).hasValueSatisfying(report -> assertThat(report)
                .contains("state=REBALANCING", "task=1_3", "store='dedup-store'",
                        "changelog=app-dedup-store-changelog-3", "position=117", "endOffset=283"));
    }

    @Test
    void shouldNotReportItJustBeforeTheLimit() {
        Progress progress = StallDetector.track(null, restoring(T0, 117));
        progress = StallDetector.track(progress, restoring(T0.plus(LIMIT).minusMillis(1), 117));

        assertThat(StallDetector.stall(progress, LIMIT)).isEmpty();
    }

    @Test
    void shouldNotReportASlowRestoreThatKeepsMoving() {
        Progress progress = null;
        for (int minute = 0; minute <= 30; minute++) {
            progress = StallDetector.track(progress, restoring(T0.plusSeconds(60L * minute), 100 + minute));
        }

        assertThat(StallDetector.stall(progress, LIMIT)).isEmpty();
    }

    @Test
    void shouldReportARunningTaskWhoseInputHasLagButWhoseCommittedOffsetStandsStill() {
        Progress progress = null;
        for (int minute = 0; minute <= 6; minute++) {
            progress = StallDetector.track(progress, running(T0.plusSeconds(60L * minute), 400, 1094));
        }

        assertThat(StallDetector.stall(progress, LIMIT)).hasValueSatisfying(report -> assertThat(report)
                .contains("state=RUNNING", "task=1_1", "input=usage-events-1", "committed=400", "endOffset=1094"));
    }

    @Test
    void shouldNotReportAnIdleRunningInstanceHoweverLongItWaits() {
        Progress progress = StallDetector.track(null, running(T0, 1094, 1094));
        progress = StallDetector.track(progress, running(T0.plus(Duration.ofHours(3)), 1094, 1094));

        assertThat(StallDetector.stall(progress, LIMIT)).isEmpty();
    }

    @Test
    void shouldRestartTheClockWhenTheTaskCommitsAgain() {
        Progress progress = StallDetector.track(null, running(T0, 400, 1094));
        progress = StallDetector.track(progress, running(T0.plus(Duration.ofMinutes(4)), 400, 1094));
        progress = StallDetector.track(progress, running(T0.plus(Duration.ofMinutes(5)), 401, 1094));
        progress = StallDetector.track(progress, running(T0.plus(Duration.ofMinutes(9)), 401, 1094));

        assertThat(StallDetector.stall(progress, LIMIT)).isEmpty();
    }

    @Test
    void shouldReportAnInstanceThatStaysOutOfRunningWithNothingToRestore() {
        Progress progress = StallDetector.track(null, new Observation(T0, "REBALANCING", List.of(), List.of()));
        progress = StallDetector.track(progress,
                new Observation(T0.plus(LIMIT), "REBALANCING", List.of(), List.of()));

        assertThat(StallDetector.stall(progress, LIMIT)).hasValueSatisfying(report -> assertThat(report)
                .contains("state=REBALANCING", "noProgressFor=PT5M"));
    }

    private static Observation restoring(Instant at, long position) {
        return new Observation(at, "REBALANCING",
                List.of(new Restore("1_3", "dedup-store", "app-dedup-store-changelog-3", position, 283)), List.of());
    }

    private static Observation running(Instant at, long committed, long endOffset) {
        return new Observation(at, "RUNNING", List.of(),
                List.of(new Input("1_1", "usage-events-1", committed, endOffset),
                        new Input("1_1", "payment-results-1", 12, 12)));
    }
}
