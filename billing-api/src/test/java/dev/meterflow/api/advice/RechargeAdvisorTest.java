package dev.meterflow.api.advice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.schemas.AutoRechargeMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RechargeAdvisorTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 29);

    @Test
    void shouldExplainTheAdviceInOneSentence() {
        List<DaySpend> days = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            days.add(new DaySpend(TODAY.minusDays(i), 10_000_000));
        }
        SpendWindow window = SpendWindow.of(TODAY, LocalDate.of(2026, 1, 1), days);
        var current = new RechargeSettings(true, AutoRechargeMode.TOP_UP_TO_TARGET, 20_000_000, 50_000_000, 0);

        var advice = RechargeAdvisor.advise(window, current, 50_000_000);

        // $10 a day from $50 ends a day below $20 every fourth day, each time topped up to $50 again
        assertThat(advice.currentSettingsCharges()).isEqualTo(7);
        assertThat(advice.recommendedThresholdMicros()).isEqualTo(30_000_000);
        assertThat(advice.recommendedTargetMicros()).isEqualTo(330_000_000);
        assertThat(advice.sentence()).isEqualTo("Your last 30 days: about $10.00 a day. Recharge to $330 when below"
                + " $30 to be charged about once a month; your current settings charged it 7 times.");
    }

    @Test
    void shouldCountOnlyTheDaysSinceANewAccountsFirstUsage() {
        List<DaySpend> days = List.of(new DaySpend(TODAY.minusDays(2), 4_000_000),
                new DaySpend(TODAY.minusDays(1), 2_000_000));
        SpendWindow window = SpendWindow.of(TODAY, TODAY.minusDays(2), days);

        var advice = RechargeAdvisor.advise(window, new RechargeSettings(false, AutoRechargeMode.FIXED_AMOUNT, 0, 0,
                0), 0);

        assertThat(advice.daysCounted()).isEqualTo(2);
        assertThat(advice.averageDailySpendMicros()).isEqualTo(3_000_000);
        assertThat(advice.sentence()).startsWith("Your last 2 days: about $3.00 a day.")
                .endsWith("auto-recharge is off now, so it charged nothing.");
    }

    @Test
    void shouldSayWhenThereWasNoUsageRatherThanRecommendADollar() {
        SpendWindow window = SpendWindow.of(TODAY, LocalDate.of(2026, 1, 1), List.of());
        var current = new RechargeSettings(true, AutoRechargeMode.TOP_UP_TO_TARGET, 20_000_000, 50_000_000, 0);

        var advice = RechargeAdvisor.advise(window, current, 50_000_000);

        // issue 11: the page shows the sentence; "$0.00 a day, recharge to $2 when below $1" would mislead
        assertThat(advice.sentence()).isEqualTo("There was no usage in the last 30 days, so there is nothing to"
                + " base a recharge on yet; your current settings did not charge the card.");
    }
}
