package dev.meterflow.metering.pricing;

/** Either a priced usage event or the reason it cannot be priced. */
public sealed interface PricingOutcome {

    record Priced(Usage usage, String ratePlanId, long units, long amountMicros) implements PricingOutcome {
    }

    record Unpriced(UnpricedReason reason, String detail) implements PricingOutcome {
    }
}
