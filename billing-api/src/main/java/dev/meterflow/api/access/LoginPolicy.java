package dev.meterflow.api.access;

import java.time.Duration;
import java.time.Instant;

/**
 * Lock-out after repeated bad passwords: {@code maxFailures} in a row lock the user for {@code lockout}; a good
 * password resets the count. Pure: the caller stores the count and the time.
 */
public record LoginPolicy(int maxFailures, Duration lockout) {

    public LoginPolicy {
        if (maxFailures < 1 || lockout.isNegative() || lockout.isZero()) {
            throw new IllegalArgumentException("lock-out needs at least 1 failure and a positive duration");
        }
    }

    public boolean isLocked(Instant lockedUntil, Instant now) {
        return lockedUntil != null && now.isBefore(lockedUntil);
    }

    /** The user's state after one more bad password. */
    public Failure afterFailure(int failuresBefore, Instant now) {
        int failures = failuresBefore + 1;
        return failures >= maxFailures ? new Failure(0, now.plus(lockout)) : new Failure(failures, null);
    }

    /** @param lockedUntil {@code null} when the user is not locked out */
    public record Failure(int failures, Instant lockedUntil) {
    }
}
