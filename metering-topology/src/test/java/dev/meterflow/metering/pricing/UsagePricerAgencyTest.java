package dev.meterflow.metering.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.ledger.AutoRechargePolicy;
import dev.meterflow.metering.ledger.BillingSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Issue 10, section 5: a sub-account's event is priced on its own rate plan, for its agency. */
class UsagePricerAgencyTest {

    private static final Usage CALL = new Usage("ev-1", "sub-1", "call.minutes.local", 600, 0);
    private static final Function<String, Optional<RatePlan>> PLANS = plans(Map.of(
            "wholesale", 10_000L, "agency-own", 25_000L));

    @Test
    void shouldPriceOnTheSubAccountsPlanNotTheAgencys() {
        PricingOutcome outcome = UsagePricer.priceForAgency("agency", CALL, "wholesale",
                settings("agency", "agency-own", null), PLANS);

        assertThat(outcome).isEqualTo(new PricingOutcome.Priced(CALL, "wholesale", 10, 100_000, false));
    }

    @Test
    void shouldNotPriceForAnAgencyWithoutSettings() {
        PricingOutcome outcome = UsagePricer.priceForAgency("agency", CALL, "wholesale", null, PLANS);

        assertThat(outcome).isInstanceOfSatisfying(PricingOutcome.Unpriced.class,
                unpriced -> assertThat(unpriced.reason()).isEqualTo(UnpricedReason.NO_SETTINGS));
    }

    @Test
    void shouldNotPriceForAnAgencyThatIsItselfASubAccount() {
        PricingOutcome outcome = UsagePricer.priceForAgency("agency", CALL, "wholesale",
                settings("agency", "agency-own", "holding"), PLANS);

        assertThat(outcome).isInstanceOfSatisfying(PricingOutcome.Unpriced.class, unpriced -> {
            assertThat(unpriced.reason()).isEqualTo(UnpricedReason.AGENCY_BILLING_UNSUPPORTED);
            assertThat(unpriced.detail()).contains("'holding'", "do not nest");
        });
    }

    @Test
    void shouldParkASubAccountsEventWhoseOwnPlanHasNoRateCard() {
        PricingOutcome outcome = UsagePricer.priceForAgency("agency", CALL, "retired-plan",
                settings("agency", "agency-own", null), PLANS);

        assertThat(outcome).isInstanceOfSatisfying(PricingOutcome.Unpriced.class,
                unpriced -> assertThat(unpriced.reason()).isEqualTo(UnpricedReason.NO_RATE_CARD));
    }

    private static BillingSettings settings(String accountId, String ratePlanId, String parentAccountId) {
        return new BillingSettings(accountId, ratePlanId, parentAccountId, AutoRechargePolicy.disabled(0), List.of(),
                List.of(), null);
    }

    /** Plans pricing local minutes per started minute at the given micros. */
    private static Function<String, Optional<RatePlan>> plans(Map<String, Long> minutePrices) {
        return planId -> Optional.ofNullable(minutePrices.get(planId)).map(price -> new RatePlan() {
            @Override
            public String ratePlanId() {
                return planId;
            }

            @Override
            public String currency() {
                return "USD";
            }

            @Override
            public Optional<PriceRule> priceOf(String sku) {
                return Optional.of(new PriceRule(price, 60));
            }

            @Override
            public boolean taxable(String sku) {
                return false;
            }
        });
    }
}
