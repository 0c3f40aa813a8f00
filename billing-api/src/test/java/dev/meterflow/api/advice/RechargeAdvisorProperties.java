package dev.meterflow.api.advice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.money.Money;
import dev.meterflow.schemas.AutoRechargeMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Issue 11: recharge advice over random spend. */
class RechargeAdvisorProperties {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 29);

    @Property
    void theAverageIsTheWindowsSpendOverItsDays(@ForAll("spend") List<Long> spend, @ForAll @IntRange(min = 0,
            max = 60) int daysOfHistory) {
        SpendWindow window = window(spend, daysOfHistory);

        long average = window.averageMicros();

        assertThat(window.days()).isBetween(1, SpendWindow.DAYS);
        assertThat(average * window.days()).isLessThanOrEqualTo(window.totalMicros());
        assertThat((average + 1) * window.days()).isGreaterThan(window.totalMicros());
    }

    @Property
    void theRecommendationIsWholeDollarsAndChargesAtMostOnceOverTheWindowFromAFullBalance(
            @ForAll("spend") List<Long> spend, @ForAll @IntRange(min = 0, max = 60) int daysOfHistory) {
        SpendWindow window = window(spend, daysOfHistory);

        var advice = RechargeAdvisor.advise(window, off(), 0);

        assertThat(advice.recommendedThresholdMicros() % Money.MICROS_PER_DOLLAR).isZero();
        assertThat(advice.recommendedTargetMicros() % Money.MICROS_PER_DOLLAR).isZero();
        assertThat(advice.recommendedThresholdMicros()).isGreaterThanOrEqualTo(Money.MICROS_PER_DOLLAR);
        assertThat(advice.recommendedTargetMicros() - advice.recommendedThresholdMicros())
                .isEqualTo(advice.recommendedAmountMicros());
        var recommended = new RechargeSettings(true, AutoRechargeMode.TOP_UP_TO_TARGET,
                advice.recommendedThresholdMicros(), advice.recommendedTargetMicros(), 0);
        assertThat(RechargeAdvisor.charges(window, recommended, advice.recommendedTargetMicros())).isZero();
    }

    @Property
    void theRecommendedRechargeIsThirtyDaysOfSpendRoundedUpToADollar(@ForAll("spend") List<Long> spend,
                                                                      @ForAll @IntRange(min = 0, max = 60)
                                                                      int daysOfHistory) {
        SpendWindow window = window(spend, daysOfHistory);

        var advice = RechargeAdvisor.advise(window, off(), 0);

        double thirtyDays = 30.0 * window.totalMicros() / window.days();
        assertThat((double) advice.recommendedAmountMicros()).isGreaterThanOrEqualTo(thirtyDays - 1)
                .isLessThan(Math.max(thirtyDays, 0) + Money.MICROS_PER_DOLLAR + 1);
    }

    @Property
    void aTopUpChargesAtMostOncePerGapOfSpendPlusOne(@ForAll("spend") List<Long> spend,
                                                       @ForAll @LongRange(min = 0, max = 500_000_000) long threshold,
                                                       @ForAll @LongRange(min = 1, max = 500_000_000) long gap) {
        SpendWindow window = window(spend, 60);
        var settings = new RechargeSettings(true, AutoRechargeMode.TOP_UP_TO_TARGET, threshold, threshold + gap, 0);

        int charges = RechargeAdvisor.charges(window, settings, threshold + gap);

        // after each top-up the balance is the target: the next charge needs more than the gap spent
        assertThat((long) charges * gap).isLessThanOrEqualTo(window.totalMicros());
    }

    @Property
    void settingsThatAreOffNeverCharge(@ForAll("spend") List<Long> spend,
                                       @ForAll @LongRange(min = -1_000_000_000, max = 1_000_000_000) long start) {
        assertThat(RechargeAdvisor.charges(window(spend, 60), off(), start)).isZero();
    }

    @Property
    void aFixedAmountLeavesTheBalanceAtOrAboveTheThresholdAtTheEndOfEveryDay(
            @ForAll("spend") List<Long> spend, @ForAll @LongRange(min = 1, max = 100_000_000) long amount) {
        SpendWindow window = window(spend, 60);
        long threshold = 10_000_000;
        var settings = new RechargeSettings(true, AutoRechargeMode.FIXED_AMOUNT, threshold, 0, amount);
        long start = 2 * threshold;

        int charges = RechargeAdvisor.charges(window, settings, start);

        long end = start - window.totalMicros() + charges * amount;
        long worstDay = spend.stream().mapToLong(Long::longValue).max().orElse(0);
        if (worstDay < 100 * amount) {
            assertThat(end).isGreaterThanOrEqualTo(threshold);
        }
    }

    @Provide
    Arbitrary<List<Long>> spend() {
        Arbitrary<Long> day = Arbitraries.oneOf(Arbitraries.just(0L),
                Arbitraries.longs().between(0, 500_000_000L), Arbitraries.longs().between(0, 50_000L));
        return day.list().ofSize(SpendWindow.DAYS);
    }

    /** The spend of the 30 days before today, oldest first; the account's usage began daysOfHistory ago. */
    private static SpendWindow window(List<Long> spend, int daysOfHistory) {
        List<DaySpend> days = new ArrayList<>();
        for (int i = 0; i < spend.size(); i++) {
            days.add(new DaySpend(TODAY.minusDays(spend.size() - i), spend.get(i)));
        }
        return SpendWindow.of(TODAY, daysOfHistory == 0 ? null : TODAY.minusDays(daysOfHistory), days);
    }

    private static RechargeSettings off() {
        return new RechargeSettings(false, AutoRechargeMode.TOP_UP_TO_TARGET, 0, 0, 0);
    }
}
