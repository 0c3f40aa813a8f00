package dev.meterflow.metering.pricing;

/**
 * How one sku is priced in a rate plan.
 *
 * @param unitPriceMicros price of one billing unit
 * @param unitSize        base units (seconds, or count) per billing unit; 60 = per started minute
 * @param planFee         the sku's price category is PLAN_FEE: an account opted in to the direct charge of its
 *                        plan fee pays it by card instead of from its balance (issue 10, §3)
 */
public record PriceRule(long unitPriceMicros, long unitSize, boolean planFee) {

    /** A price that is not a plan fee. */
    public PriceRule(long unitPriceMicros, long unitSize) {
        this(unitPriceMicros, unitSize, false);
    }

    /** @throws IllegalArgumentException naming what is wrong with this price */
    public void validate() {
        if (unitSize < 1) {
            throw new IllegalArgumentException("unitSize must be >= 1, was " + unitSize);
        }
        if (unitPriceMicros < 0) {
            throw new IllegalArgumentException("unitPriceMicros must be >= 0, was " + unitPriceMicros);
        }
    }
}
