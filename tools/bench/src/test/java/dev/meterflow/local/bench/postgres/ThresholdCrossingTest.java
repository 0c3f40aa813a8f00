package dev.meterflow.local.bench.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThresholdCrossingTest {

    private static final long THRESHOLD = 15_000_000;

    @Test
    void shouldAskWhenADebitTakesTheBalanceBelowTheThreshold() {
        assertThat(ThresholdCrossing.asksForRecharge(true, THRESHOLD, 14_000_000, 2_000_000)).isTrue();
        assertThat(ThresholdCrossing.asksForRecharge(true, THRESHOLD, 14_999_999, 1)).isTrue();
    }

    @Test
    void shouldNotAskWhenTheBalanceWasAlreadyBelowOrStaysAbove() {
        assertThat(ThresholdCrossing.asksForRecharge(true, THRESHOLD, 10_000_000, 1_000_000)).isFalse();
        assertThat(ThresholdCrossing.asksForRecharge(true, THRESHOLD, THRESHOLD, 1_000_000)).isFalse();
    }

    @Test
    void shouldNotAskWithoutAutoRecharge() {
        assertThat(ThresholdCrossing.asksForRecharge(false, THRESHOLD, 14_000_000, 2_000_000)).isFalse();
    }
}
