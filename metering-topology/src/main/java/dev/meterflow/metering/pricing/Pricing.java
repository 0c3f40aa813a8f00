package dev.meterflow.metering.pricing;

import dev.meterflow.money.Money;

/** The price of a quantity of usage: a pure function, exact to the micro-dollar. */
public final class Pricing {

    private Pricing() {
    }

    /**
     * {@code units = ceil(quantity / unitSize)} (usage is rounded up to whole billing units, e.g. per started
     * minute), {@code amount = units x unitPriceMicros}.
     *
     * @throws IllegalArgumentException for a negative quantity or price, or a unit size below one
     * @throws ArithmeticException      when the amount does not fit a long
     */
    public static Charge price(long quantity, PriceRule rule) {
        if (quantity < 0) {
            throw new IllegalArgumentException("quantity must be >= 0, was " + quantity);
        }
        rule.validate();
        long units = Money.ceilDiv(quantity, rule.unitSize());
        return new Charge(units, Money.multiply(units, rule.unitPriceMicros()));
    }

    /** Billing units and their price. */
    public record Charge(long units, long amountMicros) {
    }
}
