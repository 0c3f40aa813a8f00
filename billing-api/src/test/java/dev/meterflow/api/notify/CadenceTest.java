package dev.meterflow.api.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.api.statements.StatementPeriod;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class CadenceTest {

    @Test
    void shouldSendTheMonthBeforeOnTheFirstAndNothingOnOtherDays() {
        assertThat(Cadence.MONTHLY.periodDueOn(LocalDate.of(2026, 3, 1))).hasValue(new StatementPeriod(
                LocalDate.of(2026, 2, 1), LocalDate.of(2026, 2, 28)));
        assertThat(Cadence.MONTHLY.periodDueOn(LocalDate.of(2026, 3, 2))).isEmpty();
    }

    @Test
    void shouldSendTheWeekBeforeOnMondays() {
        // 2026-11-30 is a Monday
        assertThat(Cadence.WEEKLY.periodDueOn(LocalDate.of(2026, 11, 30))).hasValue(new StatementPeriod(
                LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 29)));
        assertThat(Cadence.WEEKLY.periodDueOn(LocalDate.of(2026, 12, 1))).isEmpty();
    }
}
