package dev.meterflow.metering.tax;

import dev.meterflow.money.Money;

/**
 * Sales tax on a taxable base: {@code base × ratePpm / 1,000,000}, rounded half up to the cent (issue 10, §4).
 * Exact in {@code long}: the base is split so that no intermediate product can overflow before the result does.
 */
public final class TaxCalculator {

    /** The largest rate accepted: 100 %. */
    public static final long MAX_RATE_PPM = 1_000_000;

    /** Parts per million × micros per cent: the divisor from micros × ppm to whole cents. */
    private static final long MICROS_PPM_PER_CENT = MAX_RATE_PPM * Money.MICROS_PER_CENT;

    private TaxCalculator() {
    }

    /**
     * @param baseMicros the taxable base, at least 0
     * @param ratePpm    the rate, 0 to {@link #MAX_RATE_PPM}
     * @return the tax in micros, a whole number of cents
     * @throws IllegalArgumentException for a negative base or a rate out of range
     * @throws ArithmeticException      when the tax does not fit in a {@code long} of micros
     */
    public static long taxMicros(long baseMicros, long ratePpm) {
        if (baseMicros < 0) {
            throw new IllegalArgumentException("taxable base must be at least 0, was " + baseMicros);
        }
        if (ratePpm < 0 || ratePpm > MAX_RATE_PPM) {
            throw new IllegalArgumentException("tax rate must be 0 to " + MAX_RATE_PPM + " ppm, was " + ratePpm);
        }
        // base × rate = (whole × D + rest) × rate with D = 10^10: whole × rate is already whole cents, and
        // rest × rate < 10^16 fits in a long, so only its rounding is left
        long whole = baseMicros / MICROS_PPM_PER_CENT;
        long rest = baseMicros % MICROS_PPM_PER_CENT;
        long cents = Math.addExact(Math.multiplyExact(whole, ratePpm),
                (rest * ratePpm + MICROS_PPM_PER_CENT / 2) / MICROS_PPM_PER_CENT);
        return Money.centsToMicros(cents);
    }
}
