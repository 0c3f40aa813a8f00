package dev.meterflow.money;

/**
 * Exact USD arithmetic. Balances, prices and ledger amounts are {@code long} micro-dollars
 * (USD x 1,000,000); card charges are whole cents, only at the gateway boundary. Every operation
 * that could overflow throws {@link ArithmeticException} instead of wrapping.
 */
public final class Money {

    public static final long MICROS_PER_DOLLAR = 1_000_000L;
    public static final long MICROS_PER_CENT = 10_000L;

    private Money() {
    }

    public static long dollarsToMicros(long dollars) {
        return Math.multiplyExact(dollars, MICROS_PER_DOLLAR);
    }

    public static long centsToMicros(long cents) {
        return Math.multiplyExact(cents, MICROS_PER_CENT);
    }

    /** Whole cents covering {@code micros}: a recharge amount is rounded up, never down (billing rules). */
    public static long toCentsRoundingUp(long micros) {
        return ceilDiv(micros, MICROS_PER_CENT);
    }

    public static long add(long aMicros, long bMicros) {
        return Math.addExact(aMicros, bMicros);
    }

    public static long subtract(long aMicros, long bMicros) {
        return Math.subtractExact(aMicros, bMicros);
    }

    public static long multiply(long micros, long factor) {
        return Math.multiplyExact(micros, factor);
    }

    public static long negate(long micros) {
        return Math.negateExact(micros);
    }

    /** {@code numerator / denominator} rounded towards positive infinity; the denominator must be positive. */
    public static long ceilDiv(long numerator, long denominator) {
        if (denominator <= 0) {
            throw new IllegalArgumentException("denominator must be positive, was " + denominator);
        }
        // not -floorDiv(-numerator, ...): negating Long.MIN_VALUE overflows although the quotient fits
        long quotient = Math.floorDiv(numerator, denominator);
        return Math.floorMod(numerator, denominator) == 0 ? quotient : quotient + 1;
    }

    /** Human-readable dollars for logs and notification summaries, e.g. {@code -$1.234567} or {@code $15.00}. */
    public static String format(long micros) {
        String sign = micros < 0 ? "-" : "";
        // divide before taking the absolute value: |Long.MIN_VALUE| does not fit in a long
        long dollars = Math.abs(micros / MICROS_PER_DOLLAR);
        long fraction = Math.abs(micros % MICROS_PER_DOLLAR);
        if (fraction % MICROS_PER_CENT == 0) {
            return String.format("%s$%d.%02d", sign, dollars, fraction / MICROS_PER_CENT);
        }
        return String.format("%s$%d.%06d", sign, dollars, fraction);
    }

    /** Human-readable dollars of a whole-cents amount, e.g. {@code $35.01}. */
    public static String formatCents(long cents) {
        return format(centsToMicros(cents));
    }
}
