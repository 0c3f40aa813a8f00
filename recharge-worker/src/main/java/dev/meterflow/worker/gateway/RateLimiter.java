package dev.meterflow.worker.gateway;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A requests-per-second budget toward the gateway, shared by every worker thread: callers take the next
 * free slot, spaced {@code 1/rate} apart, and wait for it. A 429 pushes every later slot back.
 */
public final class RateLimiter {

    private final long intervalNanos;
    private long nextFreeNanos;

    public RateLimiter(double requestsPerSecond) {
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("requestsPerSecond must be > 0, was " + requestsPerSecond);
        }
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / requestsPerSecond);
        this.nextFreeNanos = System.nanoTime();
    }

    /** Blocks until this caller's slot comes. */
    public void acquire() throws InterruptedException {
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextFreeNanos);
            nextFreeNanos = slot + intervalNanos;
            waitNanos = slot - now;
        }
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }

    /** The gateway said it is overloaded: no call before {@code pause} from now. */
    public synchronized void backOff(Duration pause) {
        nextFreeNanos = Math.max(nextFreeNanos, System.nanoTime() + pause.toNanos());
    }
}
