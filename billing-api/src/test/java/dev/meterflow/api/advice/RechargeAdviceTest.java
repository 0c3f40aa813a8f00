package dev.meterflow.api.advice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.api.advice.RechargeAdvice.Advice;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RechargeAdviceTest {

    private static final long DOLLAR = 1_000_000L;
    // a Sunday
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 29);

    @Test
    void shouldExplainTheAdviceInOneSentence() {
        TreeMap<LocalDate, Long> spend = new TreeMap<>();
        for (int i = 1; i <= 30; i++) {
            spend.put(TODAY.minusDays(i), 2 * DOLLAR + 500_000);
        }

        Advice advice = RechargeAdvice.advise(TODAY, spend, 40 * DOLLAR, 15 * DOLLAR, 4);

        assertThat(advice.recommendedThresholdMicros()).isEqualTo(18 * DOLLAR);
        assertThat(advice.recommendedRechargeMicros()).isEqualTo(75 * DOLLAR);
        assertThat(advice.explanation()).isEqualTo("You spent about $2.50 a day over the last 30 days; a threshold"
                + " of $18.00 and a recharge of $75.00 would charge your card about once every 30 days (your settings"
                + " charged it 4 times in the last 30 days).");
        assertThat(advice.belowThresholdOn()).as("exactly at $15.00 on day 10").isEqualTo(TODAY.plusDays(11));
        assertThat(advice.zeroOn()).isEqualTo(TODAY.plusDays(17));
    }

    @Test
    void shouldFollowTheWeekWhenWeekendsCostNothing() {
        TreeMap<LocalDate, Long> spend = new TreeMap<>();
        for (int i = 1; i <= 28; i++) {
            LocalDate day = TODAY.minusDays(i);
            boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
            spend.put(day, weekend ? 0 : 10 * DOLLAR);
        }

        Advice advice = RechargeAdvice.advise(TODAY, spend, 25 * DOLLAR, 0, 0);

        // Sunday costs nothing, Monday to Wednesday take it to -$5: under zero on Thursday morning
        assertThat(advice.zeroOn()).isEqualTo(LocalDate.of(2026, 12, 3));
    }

    @Test
    void shouldSayWhenThereWasNoUsage() {
        Advice advice = RechargeAdvice.advise(TODAY, new TreeMap<>(), 10 * DOLLAR, 5 * DOLLAR, 0);

        assertThat(advice.zeroOn()).isNull();
        assertThat(advice.explanation()).startsWith("There was no usage in the last 30 days");
    }
}
