package dev.meterflow.metering.tax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.ledger.AccountState.OpenPlanFee;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.pricing.Usage;
import org.junit.jupiter.api.Test;

/** Issue 10, §3 and §4: a plan fee charged directly joins its month's taxable base once. */
class PlanFeeTaxTest {

    private static final long MARCH_10 = 1_741_597_200_000L;
    private static final Usage SUB_ACCOUNTS_FEE = new Usage("ev-fee", "acct-sub", "plan.pro.monthly", 1, MARCH_10);

    @Test
    void shouldAddTheFeeAsPricedWhenItIsAsked() {
        PricingOutcome.Priced fee = new PricingOutcome.Priced(SUB_ACCOUNTS_FEE, "sub-accounts-2025", 1, 49_000_000,
                true);

        assertThat(PlanFeeTax.atAsk(fee))
                .isEqualTo(new PlanFeeTax.TaxableFee(SUB_ACCOUNTS_FEE, "sub-accounts-2025", 49_000_000));
    }

    @Test
    void shouldAddNothingAtTheResultOfAFeeAddedWhenItWasAsked() {
        OpenPlanFee fee = new OpenPlanFee("pf-1", "ev-fee", "plan.pro.monthly", 1, 49_000_000, MARCH_10,
                MARCH_10 + 1_000, true);

        assertThat(PlanFeeTax.atResult(fee, "acme", "standard-2025")).isEmpty();
    }

    @Test
    void shouldAddAFeeAskedByAnEarlierReleaseAtItsResultAsThePayersUsageOnItsCurrentPlan() {
        OpenPlanFee fee = new OpenPlanFee("pf-1", "ev-fee", "plan.pro.monthly", 2, 98_000_000, MARCH_10,
                MARCH_10 + 1_000, false);

        assertThat(PlanFeeTax.atResult(fee, "acme", "standard-2025")).contains(new PlanFeeTax.TaxableFee(
                new Usage("ev-fee", "acme", "plan.pro.monthly", 2, MARCH_10), "standard-2025", 98_000_000));
    }
}
