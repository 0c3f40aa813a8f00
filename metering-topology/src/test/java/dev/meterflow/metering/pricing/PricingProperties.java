package dev.meterflow.metering.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.meterflow.metering.ledger.AutoRechargePolicy;
import dev.meterflow.metering.ledger.BillingSettings;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/** Usage is rounded up to whole billing units and priced exactly; an amount that does not fit never wraps. */
class PricingProperties {

    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    // Ranges that cannot overflow: 10^12 base units x 10^6 micros per unit stays below 2^63.
    private static final long MAX_QUANTITY = 1_000_000_000_000L;
    private static final long MAX_UNIT_SIZE = 1_000_000L;
    private static final long MAX_UNIT_PRICE = 1_000_000L;

    @Property
    void unitsCoverTheQuantityWithLessThanOneUnitToSpare(
            @ForAll @LongRange(min = 0, max = MAX_QUANTITY) long quantity,
            @ForAll @LongRange(min = 1, max = MAX_UNIT_SIZE) long unitSize,
            @ForAll @LongRange(min = 0, max = MAX_UNIT_PRICE) long unitPriceMicros) {
        long units = Pricing.price(quantity, new PriceRule(unitPriceMicros, unitSize)).units();

        assertThat(units * unitSize).as("units x unitSize covers the quantity").isGreaterThanOrEqualTo(quantity);
        if (quantity > 0) {
            assertThat((units - 1) * unitSize).as("one unit fewer would not cover it").isLessThan(quantity);
        }
    }

    @Property
    void amountIsUnitsTimesUnitPrice(
            @ForAll @LongRange(min = 0, max = MAX_QUANTITY) long quantity,
            @ForAll @LongRange(min = 1, max = MAX_UNIT_SIZE) long unitSize,
            @ForAll @LongRange(min = 0, max = MAX_UNIT_PRICE) long unitPriceMicros) {
        Pricing.Charge charge = Pricing.price(quantity, new PriceRule(unitPriceMicros, unitSize));

        assertThat(charge.amountMicros()).isEqualTo(charge.units() * unitPriceMicros);
    }

    @Property
    void zeroQuantityCostsNothing(@ForAll @LongRange(min = 1) long unitSize,
                                  @ForAll @LongRange(min = 0) long unitPriceMicros) {
        Pricing.Charge charge = Pricing.price(0, new PriceRule(unitPriceMicros, unitSize));

        assertThat(charge.units()).isZero();
        assertThat(charge.amountMicros()).isZero();
    }

    /** Over the whole long range: the exact (BigInteger) result when it fits, ArithmeticException when not. */
    @Property
    void priceIsExactOrRefusesToOverflow(@ForAll("quantities") long quantity,
                                         @ForAll @LongRange(min = 1) long unitSize,
                                         @ForAll @LongRange(min = 0) long unitPriceMicros) {
        BigInteger units = ceilDiv(BigInteger.valueOf(quantity), BigInteger.valueOf(unitSize));
        BigInteger amount = units.multiply(BigInteger.valueOf(unitPriceMicros));
        PriceRule rule = new PriceRule(unitPriceMicros, unitSize);
        boolean fits = amount.compareTo(MAX_LONG) <= 0;
        Statistics.label("amount fits a long").collect(fits);

        if (fits) {
            Pricing.Charge charge = Pricing.price(quantity, rule);
            assertThat(charge.units()).isEqualTo(units.longValueExact());
            assertThat(charge.amountMicros()).isEqualTo(amount.longValueExact());
        } else {
            assertThatThrownBy(() -> Pricing.price(quantity, rule)).isInstanceOf(ArithmeticException.class);
        }
    }

    @Property
    void anAmountBeyondALongThrowsInsteadOfWrapping(
            @ForAll @LongRange(min = 1L << 32) long quantity,
            @ForAll @LongRange(min = 1L << 32) long unitPriceMicros) {
        // unit size 1: units = quantity, so the amount is at least 2^64
        PriceRule rule = new PriceRule(unitPriceMicros, 1);

        assertThatThrownBy(() -> Pricing.price(quantity, rule)).isInstanceOf(ArithmeticException.class);
    }

    /** The same overflow reaching the pricer parks the event with a reason; it is never a (negative) debit. */
    @Property
    void thePricerParksAnOverflowingAmount(@ForAll @LongRange(min = 1L << 32) long quantity,
                                           @ForAll @LongRange(min = 1L << 32) long unitPriceMicros) {
        Usage usage = new Usage("ev-1", "acct-1", "call.minutes.local", quantity, 0);

        PricingOutcome outcome = UsagePricer.price("acct-1", usage, settings(), planId -> Optional.of(
                plan(new PriceRule(unitPriceMicros, 1))));

        assertThat(outcome).isInstanceOfSatisfying(PricingOutcome.Unpriced.class,
                unpriced -> assertThat(unpriced.reason()).isEqualTo(UnpricedReason.AMOUNT_OVERFLOW));
    }

    @Property
    void invalidInputIsRejectedWithAReason(@ForAll long quantity, @ForAll long unitSize,
                                           @ForAll long unitPriceMicros) {
        boolean invalid = quantity < 0 || unitSize < 1 || unitPriceMicros < 0;
        Statistics.label("invalid").collect(invalid);

        Throwable thrown = catchThrowable(() -> Pricing.price(quantity, new PriceRule(unitPriceMicros, unitSize)));

        if (invalid) {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThat(thrown == null || thrown instanceof ArithmeticException)
                    .as("valid input is priced or overflows, but threw %s", thrown).isTrue();
        }
    }

    /** Edge values and small ones, as well as anything in the long range. */
    @Provide
    Arbitrary<Long> quantities() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, MAX_QUANTITY),
                Arbitraries.longs().between(0, Long.MAX_VALUE));
    }

    private static BigInteger ceilDiv(BigInteger numerator, BigInteger denominator) {
        BigInteger[] quotientAndRemainder = numerator.divideAndRemainder(denominator);
        return quotientAndRemainder[1].signum() == 0 ? quotientAndRemainder[0]
                : quotientAndRemainder[0].add(BigInteger.ONE);
    }

    private static BillingSettings settings() {
        return new BillingSettings("acct-1", "plan-1", null, AutoRechargePolicy.disabled(0), List.of(), List.of(),
                null);
    }

    private static RatePlan plan(PriceRule rule) {
        return new RatePlan() {
            @Override
            public String ratePlanId() {
                return "plan-1";
            }

            @Override
            public String currency() {
                return "USD";
            }

            @Override
            public Optional<PriceRule> priceOf(String sku) {
                return Optional.of(rule);
            }

            @Override
            public boolean taxable(String sku) {
                return false;
            }
        };
    }
}
