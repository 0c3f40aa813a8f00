package dev.meterflow.api.advice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.api.advice.RechargeAdvice.Advice;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Issue 11: recharge advice charges the card about once every 30 days, in whole dollars, within the bounds. */
class RechargeAdviceProperties {

    private static final long DOLLAR = 1_000_000L;
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 29);

    @Property
    void shouldRecommendWholeDollarsThatCoverThirtyDaysOfTheAverageSpend(
            @ForAll @Size(min = 1, max = 30) List<@LongRange(min = 0, max = 2_000 * DOLLAR) Long> spend,
            @ForAll @LongRange(min = -100 * DOLLAR, max = 100_000 * DOLLAR) long balance,
            @ForAll @LongRange(min = 0, max = 10_000 * DOLLAR) long threshold) {
        Advice advice = RechargeAdvice.advise(TODAY, history(spend), balance, threshold, 0);

        assertThat(advice.recommendedRechargeMicros() % DOLLAR).isZero();
        assertThat(advice.recommendedThresholdMicros() % DOLLAR).isZero();
        assertThat(advice.recommendedRechargeMicros()).isBetween(DOLLAR, RechargeAdvice.MAX_RECOMMENDATION_MICROS);
        long month = advice.averageDailySpendMicros() * RechargeAdvice.WINDOW_DAYS;
        if (month > 0 && month <= RechargeAdvice.MAX_RECOMMENDATION_MICROS - DOLLAR) {
            assertThat(advice.recommendedRechargeMicros()).isGreaterThanOrEqualTo(month)
                    .isLessThan(month + DOLLAR);
        }
        long week = advice.averageDailySpendMicros() * RechargeAdvice.BUFFER_DAYS;
        assertThat(advice.recommendedThresholdMicros()).isGreaterThanOrEqualTo(
                Math.min(week, RechargeAdvice.MAX_RECOMMENDATION_MICROS));
    }

    @Property
    void shouldNeverReachZeroBeforeFallingUnderTheThreshold(
            @ForAll @Size(min = 1, max = 30) List<@LongRange(min = 0, max = 500 * DOLLAR) Long> spend,
            @ForAll @LongRange(min = 0, max = 20_000 * DOLLAR) long balance,
            @ForAll @LongRange(min = 0, max = 10_000 * DOLLAR) long threshold) {
        Advice advice = RechargeAdvice.advise(TODAY, history(spend), balance, threshold, 0);

        if (advice.zeroOn() != null) {
            assertThat(advice.belowThresholdOn()).isNotNull().isBeforeOrEqualTo(advice.zeroOn());
        }
        if (advice.belowThresholdOn() != null) {
            assertThat(advice.belowThresholdOn()).isAfterOrEqualTo(TODAY);
        }
    }

    @Property
    void shouldRunOutOnTheDayTheFlatSpendTakesTheBalanceUnderZero(
            @ForAll @IntRange(min = 1, max = 13) int days,
            @ForAll @LongRange(min = 1, max = 50 * DOLLAR) long daily,
            @ForAll @LongRange(min = 0, max = 2_000 * DOLLAR) long balance) {
        List<Long> spend = java.util.Collections.nCopies(days, daily);

        Advice advice = RechargeAdvice.advise(TODAY, history(spend), balance, 0, 0);

        long daysToZero = balance / daily + 1;
        assertThat(advice.averageDailySpendMicros()).isEqualTo(daily);
        assertThat(advice.zeroOn()).isEqualTo(daysToZero < 366 ? TODAY.plusDays(daysToZero) : null);
    }

    /** The last {@code spend.size()} days before today, oldest first. */
    private static SortedMap<LocalDate, Long> history(List<Long> spend) {
        SortedMap<LocalDate, Long> days = new TreeMap<>();
        for (int i = 0; i < spend.size(); i++) {
            days.put(TODAY.minusDays(spend.size() - i), spend.get(i));
        }
        return days;
    }
}
