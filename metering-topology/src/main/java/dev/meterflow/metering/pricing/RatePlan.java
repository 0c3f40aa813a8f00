package dev.meterflow.metering.pricing;

import java.util.Optional;

/** A rate plan as the pricer sees it: its currency and a price per sku. */
public interface RatePlan {

    String ratePlanId();

    String currency();

    Optional<PriceRule> priceOf(String sku);

    /** Whether the sku's price is subject to sales tax; {@code false} for a sku without a price. */
    boolean taxable(String sku);
}
