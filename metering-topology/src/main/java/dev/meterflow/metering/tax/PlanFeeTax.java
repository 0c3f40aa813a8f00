package dev.meterflow.metering.tax;

import dev.meterflow.metering.ledger.AccountState.OpenPlanFee;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.pricing.Usage;
import java.util.Optional;

/**
 * When a plan fee charged directly (issue 10, §3) joins its month's taxable base (§4). Pure.
 *
 * <p>Once, when it is asked of the worker: the fee is usage of the month of its {@code occurredAt} whether the worker
 * then charges it or it is debited after every method declined, so the base neither waits for the payment's outcome
 * (a bank debit settles days later, perhaps after the month's run) nor counts the fee again when a decline debits
 * it; and the plan that priced the fee says whether it is taxable. A fee asked by an earlier release, which added
 * only a debited fee and at its result, joins the base at its result, whatever the outcome.
 */
public final class PlanFeeTax {

    private PlanFeeTax() {
    }

    /** Taxable usage to add to its month's line, if its sku is taxable on {@code ratePlanId}. */
    public record TaxableFee(Usage usage, String ratePlanId, long amountMicros) {
    }

    /** What a fee adds to the taxable base in the step that asks the worker to charge it: the fee as priced. */
    public static TaxableFee atAsk(PricingOutcome.Priced fee) {
        return new TaxableFee(fee.usage(), fee.ratePlanId(), fee.amountMicros());
    }

    /**
     * What a fee's result adds to the taxable base: nothing when the fee was added at its ask; for a fee asked by an
     * earlier release, the fee as the account that paid it, on the plan it is on now (the open fee does not keep the
     * plan that priced it), charged or debited alike.
     */
    public static Optional<TaxableFee> atResult(OpenPlanFee fee, String payerId, String currentRatePlanId) {
        if (fee.indexedForTax()) {
            return Optional.empty();
        }
        return Optional.of(new TaxableFee(new Usage(fee.eventId(), payerId, fee.sku(), fee.quantity(),
                fee.occurredAtMillis()), currentRatePlanId, fee.amountMicros()));
    }
}
