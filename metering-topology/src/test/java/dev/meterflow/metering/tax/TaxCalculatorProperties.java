package dev.meterflow.metering.tax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/** Issue 10, §4: tax = round-half-up(base × ratePpm / 1,000,000) to the cent, for any base and rate. */
class TaxCalculatorProperties {

    private static final BigDecimal MICROS_PPM_PER_CENT = BigDecimal.valueOf(10_000_000_000L);
    private static final BigInteger MICROS_PER_CENT = BigInteger.valueOf(10_000);

    @Property(tries = 5_000)
    void equalsTheExactReferenceRoundedHalfUpToTheCent(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long baseMicros,
            @ForAll @LongRange(min = 0, max = TaxCalculator.MAX_RATE_PPM) long ratePpm) {
        BigInteger expected = reference(baseMicros, ratePpm);
        Statistics.label("fits in a long").collect(expected.bitLength() < Long.SIZE);

        if (expected.bitLength() < Long.SIZE) {
            assertThat(TaxCalculator.taxMicros(baseMicros, ratePpm)).isEqualTo(expected.longValueExact());
        } else {
            assertThatThrownBy(() -> TaxCalculator.taxMicros(baseMicros, ratePpm))
                    .isInstanceOf(ArithmeticException.class);
        }
    }

    @Property(tries = 5_000)
    void isAWholeNumberOfCentsNeverNegativeAndNeverAboveTheBase(
            @ForAll @LongRange(min = 0, max = 1_000_000_000_000_000L) long baseMicros,
            @ForAll @LongRange(min = 0, max = TaxCalculator.MAX_RATE_PPM) long ratePpm) {
        long tax = TaxCalculator.taxMicros(baseMicros, ratePpm);

        assertThat(tax).isNotNegative().isLessThanOrEqualTo(baseMicros + 5_000);
        assertThat(tax % 10_000).isZero();
    }

    @Example
    void roundsHalfACentUp() {
        // $1.00 at 0.5 %: exactly half a cent
        assertThat(TaxCalculator.taxMicros(1_000_000, 5_000)).isEqualTo(10_000);
        // $0.99 at 0.5 %: 0.495 cents
        assertThat(TaxCalculator.taxMicros(990_000, 5_000)).isZero();
        // $100.00 at 8.25 %
        assertThat(TaxCalculator.taxMicros(100_000_000, 82_500)).isEqualTo(8_250_000);
    }

    @Example
    void refusesANegativeBaseAndARateOutOfRange() {
        assertThatThrownBy(() -> TaxCalculator.taxMicros(-1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("taxable base");
        assertThatThrownBy(() -> TaxCalculator.taxMicros(1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tax rate");
        assertThatThrownBy(() -> TaxCalculator.taxMicros(1, TaxCalculator.MAX_RATE_PPM + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static BigInteger reference(long baseMicros, long ratePpm) {
        BigDecimal cents = new BigDecimal(BigInteger.valueOf(baseMicros).multiply(BigInteger.valueOf(ratePpm)))
                .divide(MICROS_PPM_PER_CENT, 0, RoundingMode.HALF_UP);
        return cents.toBigIntegerExact().multiply(MICROS_PER_CENT);
    }
}
