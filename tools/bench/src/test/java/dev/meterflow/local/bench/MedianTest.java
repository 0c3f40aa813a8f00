package dev.meterflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MedianTest {

    @Test
    void shouldTakeTheMiddleRunNotTheMean() {
        assertThat(Median.of(List.of(780L, 190L, 210L))).isEqualTo(210);
    }

    @Test
    void shouldAverageTheTwoMiddleOnesOfAnEvenCount() {
        assertThat(Median.of(List.of(100L, 300L, 200L, 900L))).isEqualTo(250);
    }

    @Test
    void shouldRefuseNoRuns() {
        assertThatThrownBy(() -> Median.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
