package dev.meterflow.api.statements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.api.ApiException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class StatementPeriodTest {

    @Test
    void shouldRefuseAReversedRangeSayingToSwapTheEnds() {
        assertThatThrownBy(() -> StatementPeriod.parse("2026-11-30", "2026-11-01")).isInstanceOf(ApiException.class)
                .hasMessageContaining("swap from and to").extracting("code").isEqualTo("reversed_range");
    }

    @Test
    void shouldRefuseMoreThanTwoYearsSayingWhatFits() {
        assertThatThrownBy(() -> StatementPeriod.parse("2024-01-01", "2026-01-01")).isInstanceOf(ApiException.class)
                .hasMessageContaining("2024-01-01 to 2025-12-31").extracting("code").isEqualTo("range_too_long");
        assertThat(StatementPeriod.parse("2024-01-01", "2025-12-31").days()).isEqualTo(731);
    }

    @Test
    void shouldRefuseAMissingOrMalformedDay() {
        assertThatThrownBy(() -> StatementPeriod.parse(null, "2026-11-01")).extracting("code")
                .isEqualTo("missing_from");
        assertThatThrownBy(() -> StatementPeriod.parse("2026-11-01", "30/11/2026")).extracting("code")
                .isEqualTo("bad_date");
    }

    @Test
    void shouldCoverOneDayWhenBothEndsAreTheSame() {
        assertThat(new StatementPeriod(LocalDate.of(2026, 2, 1), LocalDate.of(2026, 2, 1)).days()).isEqualTo(1);
    }
}
