package dev.meterflow.metering.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.ledger.AutoRechargePolicy;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.pricing.PriceRule;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.UnpricedReason;
import dev.meterflow.metering.pricing.Usage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplayPlanTest {

    private static final RatePlan STANDARD = new RatePlan() {
        @Override
        public String ratePlanId() {
            return "standard";
        }

        @Override
        public String currency() {
            return "USD";
        }

        @Override
        public Optional<PriceRule> priceOf(String sku) {
            return "call.minutes.local".equals(sku) ? Optional.of(new PriceRule(25_000, 60)) : Optional.empty();
        }

        @Override
        public boolean taxable(String sku) {
            return false;
        }
    };

    @Test
    void shouldReplayOnlyEventsThatCanBePricedNow() {
        ReplayPlan.Parked nowPriceable = parked("a1", "e1", "call.minutes.local", 60);
        ReplayPlan.Parked stillNoSettings = parked("a2", "e2", "call.minutes.local", 60);
        ReplayPlan.Parked stillNoPrice = parked("a1", "e3", "fax.pages", 1);
        ReplayPlan.Parked neverPriceable = parked("a1", "e4", "call.minutes.local", -5);

        ReplayPlan plan = ReplayPlan.of(List.of(nowPriceable, stillNoSettings, stillNoPrice, neverPriceable),
                Map.of("a1", settings("a1")), id -> "standard".equals(id) ? Optional.of(STANDARD) : Optional.empty());

        assertThat(plan.toReplay()).containsExactly(nowPriceable);
        assertThat(plan.stillUnpriced()).containsOnly(
                Map.entry(UnpricedReason.NO_SETTINGS, 1),
                Map.entry(UnpricedReason.NO_PRICE, 1),
                Map.entry(UnpricedReason.NEGATIVE_QUANTITY, 1));
    }

    private static ReplayPlan.Parked parked(String account, String eventId, String sku, long quantity) {
        return new ReplayPlan.Parked(account, new Usage(eventId, account, sku, quantity, 1_700_000_000_000L),
                new byte[] {1}, 0, 0);
    }

    private static BillingSettings settings(String account) {
        return new BillingSettings(account, "standard", null, AutoRechargePolicy.disabled(0), List.of(), List.of(),
                null);
    }
}
