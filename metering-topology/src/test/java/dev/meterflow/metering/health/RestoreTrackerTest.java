package dev.meterflow.metering.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.health.StallDetector.Restore;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The watchdog's view of restores (issue 17): where each one is, and gone once it ends or moves away. */
class RestoreTrackerTest {

    private static final TopicPartition CHANGELOG = new TopicPartition("app-dedup-store-changelog", 3);

    private final RestoreTracker tracker = new RestoreTracker(changelog -> "1_" + changelog.partition());

    @Test
    void shouldFollowARestoreFromItsStartThroughEachBatchToItsEnd() {
        tracker.onRestoreStart(CHANGELOG, "dedup-store", 117, 283);
        assertThat(tracker.restoring()).containsExactly(
                new Restore("1_3", "dedup-store", "app-dedup-store-changelog-3", 117, 283));

        tracker.onBatchRestored(CHANGELOG, "dedup-store", 199, 83);
        assertThat(tracker.restoring()).extracting(Restore::position).containsExactly(200L);
        assertThat(tracker.restoringChangelogs()).containsExactly(CHANGELOG);

        tracker.onRestoreEnd(CHANGELOG, "dedup-store", 166);
        assertThat(tracker.restoring()).isEmpty();
    }

    @Test
    void shouldForgetARestoreSuspendedBecauseItsTaskMovedAway() {
        tracker.onRestoreStart(CHANGELOG, "dedup-store", 0, 283);

        tracker.onRestoreSuspended(CHANGELOG, "dedup-store", 10);

        assertThat(tracker.restoring()).isEmpty();
        assertThat(tracker.restoringChangelogs()).isEmpty();
    }

    @Test
    void shouldCountTheRecordsRestoredAcrossStoresForTheRestoreWorkOfARestart() {
        tracker.onRestoreStart(CHANGELOG, "dedup-store", 0, 283);
        tracker.onBatchRestored(CHANGELOG, "dedup-store", 99, 100);
        tracker.onBatchRestored(CHANGELOG, "dedup-store", 282, 183);
        tracker.onRestoreEnd(CHANGELOG, "dedup-store", 283);
        TopicPartition other = new TopicPartition("app-account-state-store-changelog", 0);
        tracker.onRestoreStart(other, "account-state-store", 5, 12);
        tracker.onBatchRestored(other, "account-state-store", 11, 7);

        assertThat(tracker.restoredRecords()).isEqualTo(290);
    }
}
