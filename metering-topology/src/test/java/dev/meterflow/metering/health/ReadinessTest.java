package dev.meterflow.metering.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@code /health/ready} of a metering instance answers (issue 14). */
class ReadinessTest {

    private final Readiness readiness = new Readiness();

    @Test
    void shouldBeReadyOnlyWhenRunningWithNothingRestoring() {
        assertThat(readiness.notReadyReason(0)).hasValue("Kafka Streams is not RUNNING");

        readiness.running(true);
        assertThat(readiness.notReadyReason(2)).hasValue("2 store changelog partition(s) restoring");
        assertThat(readiness.notReadyReason(0)).isEmpty();

        readiness.running(false);
        assertThat(readiness.notReadyReason(0)).isPresent();
    }

    @Test
    void shouldStayNotReadyOnceTheWatchdogFoundItStuckEvenIfItRunsAgain() {
        readiness.running(true);
        readiness.stuck("restoring without progress for PT5M");
        readiness.running(true);

        assertThat(readiness.notReadyReason(0)).hasValue("stuck: restoring without progress for PT5M");
        assertThat(readiness.ready()).isFalse();
    }
}
