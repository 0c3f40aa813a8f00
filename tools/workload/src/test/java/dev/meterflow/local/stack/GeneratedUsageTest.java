package dev.meterflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.UsageEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the local stack's usage must look like real accounts' months compressed into minutes, not make every
 * account look broken (62 pauses in a 60-second run of 50 accounts).
 */
class GeneratedUsageTest {

    private static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");

    @Test
    void shouldBeManySmallEventsAndRareMonthlyFees() {
        UsageGenerator generator = new UsageGenerator(50, "t", 7);
        RateCard prices = SeedData.rateCard(NOW);
        int fees = 0;
        long largestOtherMicros = 0;
        for (int i = 0; i < 100_000; i++) {
            UsageEvent event = generator.next(NOW);
            if (event.getSku().endsWith(".monthly")) {
                fees++;
            } else {
                var price = prices.getPrices().get(event.getSku());
                largestOtherMicros = Math.max(largestOtherMicros,
                        Money.ceilDiv(event.getQuantity() * price.getUnitPriceMicros(), price.getUnitSize()));
            }
        }

        assertThat(fees).as("one event in 400").isBetween(150, 350);
        assertThat(largestOtherMicros).as("no single call costs more than a few dollars")
                .isLessThan(Money.dollarsToMicros(5));
    }

    @Test
    void shouldGiveEveryAccountThatRechargesAThresholdAboveTheLargestMonthlyFee() {
        long largestFee = SeedData.rateCard(NOW).getPrices().entrySet().stream()
                .filter(price -> price.getKey().endsWith(".monthly"))
                .mapToLong(price -> price.getValue().getUnitPriceMicros()).max().orElseThrow();
        List<AccountSettings> accounts = SeedData.accounts(50, NOW);

        assertThat(accounts).filteredOn(settings -> settings.getAutoRecharge().getEnabled()).hasSize(48)
                .allSatisfy(settings -> assertThat(settings.getAutoRecharge().getThresholdMicros())
                        .isGreaterThan(largestFee));
        assertThat(accounts).filteredOn(settings -> !SeedData.autoRecharges(settings.getAccountId()))
                .extracting(AccountSettings::getAccountId).containsExactly("acct-0011", "acct-0031");
    }
}
