package dev.meterflow.api.advice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.money.Money;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Issue 11: the runway at the recent spend. */
class RunwayProperties {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 29);

    @Property
    void aFlatSpendReachesZeroAfterTheBalanceOverTheAverageDays(
            @ForAll @LongRange(min = 1, max = 100_000_000) long daily,
            @ForAll @LongRange(min = 1, max = 2_000_000_000) long balance,
            @ForAll @IntRange(min = 1, max = 27) int daysOfHistory) {
        SpendWindow window = window(daysOfHistory, day -> daily);

        var forecast = Runway.forecast(TODAY, balance, 0, window);

        long daysAhead = Money.ceilDiv(balance, daily) - 1;
        assertThat(forecast.weekdayPattern()).isFalse();
        if (daysAhead <= Runway.HORIZON_DAYS) {
            assertThat(forecast.zero()).hasValue(TODAY.plusDays(daysAhead));
        } else {
            assertThat(forecast.zero()).isEmpty();
        }
    }

    @Property
    void theBalanceFallsBelowTheThresholdNoLaterThanItReachesZero(
            @ForAll @LongRange(min = 0, max = 100_000_000) long daily,
            @ForAll @LongRange(min = -100_000_000, max = 2_000_000_000) long balance,
            @ForAll @LongRange(min = 1, max = 500_000_000) long threshold,
            @ForAll @IntRange(min = 1, max = 60) int daysOfHistory) {
        var forecast = Runway.forecast(TODAY, balance, threshold, window(daysOfHistory,
                day -> day.getDayOfMonth() % 3 == 0 ? 0 : daily));

        assertThat(forecast.belowThreshold().isPresent()).isEqualTo(forecast.zero().isPresent()
                || forecast.belowThreshold().isPresent());
        forecast.zero().ifPresent(zero -> assertThat(forecast.belowThreshold()).hasValueSatisfying(
                below -> assertThat(below).isBeforeOrEqualTo(zero)));
        if (daily == 0 && balance > 0) {
            assertThat(forecast.zero()).isEmpty();
        }
    }

    @Property
    void withFourWeeksOfHistoryAWeekdaysOnlySpendNeverRunsOutAtAWeekend(
            @ForAll @LongRange(min = 1_000_000, max = 100_000_000) long daily,
            @ForAll @LongRange(min = 1, max = 1_000_000_000) long balance,
            @ForAll @IntRange(min = 28, max = 60) int daysOfHistory) {
        SpendWindow window = window(daysOfHistory, day -> weekend(day) ? 0 : daily);

        var forecast = Runway.forecast(TODAY, balance, 0, window);

        assertThat(forecast.weekdayPattern()).isTrue();
        assertThat(forecast.zero()).hasValueSatisfying(zero -> assertThat(weekend(zero)).isFalse());
    }

    @Property
    void anEvenSpendGivesTheSameDatesWithOrWithoutThePattern(
            @ForAll @LongRange(min = 1, max = 100_000_000) long daily,
            @ForAll @LongRange(min = 1, max = 2_000_000_000) long balance,
            @ForAll @LongRange(min = 0, max = 500_000_000) long threshold) {
        var patterned = Runway.forecast(TODAY, balance, threshold, window(40, day -> daily));
        var flat = Runway.forecast(TODAY, balance, threshold, window(20, day -> daily));

        assertThat(patterned.weekdayPattern()).isTrue();
        assertThat(patterned.zero()).isEqualTo(flat.zero());
        assertThat(patterned.belowThreshold()).isEqualTo(flat.belowThreshold());
    }

    private static boolean weekend(LocalDate day) {
        return day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    private static SpendWindow window(int daysOfHistory, java.util.function.ToLongFunction<LocalDate> spend) {
        List<DaySpend> days = new ArrayList<>();
        for (int i = 1; i <= SpendWindow.DAYS; i++) {
            days.add(new DaySpend(TODAY.minusDays(i), spend.applyAsLong(TODAY.minusDays(i))));
        }
        return SpendWindow.of(TODAY, TODAY.minusDays(daysOfHistory), days);
    }
}
