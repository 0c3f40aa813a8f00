package dev.meterflow.gatewaysim;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code perSecond} requests a second, with a burst of the same size. Zero means unlimited.
 */
final class RateLimiter {

    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private final LongSupplier nanoTime;
    private int perSecond;
    private double tokens;
    private long refilledAt;

    RateLimiter(int perSecond, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        configure(perSecond);
    }

    /** Sets a new rate and fills the bucket. */
    synchronized void configure(int newPerSecond) {
        perSecond = newPerSecond;
        tokens = newPerSecond;
        refilledAt = nanoTime.getAsLong();
    }

    synchronized boolean tryAcquire() {
        if (perSecond == 0) {
            return true;
        }
        long now = nanoTime.getAsLong();
        tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / NANOS_PER_SECOND);
        refilledAt = now;
        if (tokens < 1.0) {
            return false;
        }
        tokens -= 1.0;
        return true;
    }
}
