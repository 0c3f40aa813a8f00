package dev.meterflow.metering.pricing;

/** Either a priced usage event or the reason it cannot be priced. */
public sealed interface PricingOutcome {

    /** @param planFee priced as a PLAN_FEE sku (see {@link PriceRule#planFee()}) */
    record Priced(Usage usage, String ratePlanId, long units, long amountMicros, boolean planFee)
            implements PricingOutcome {
    }

    record Unpriced(UnpricedReason reason, String detail) implements PricingOutcome {
    }
}
