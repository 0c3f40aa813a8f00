package dev.meterflow.api.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private final LoginPolicy policy = new LoginPolicy(3, Duration.ofMinutes(15));

    @Test
    void shouldLockOutAtTheLastAllowedFailureForTheLockoutPeriod() {
        assertThat(policy.afterFailure(0, NOW)).isEqualTo(new LoginPolicy.Failure(1, null));
        assertThat(policy.afterFailure(1, NOW)).isEqualTo(new LoginPolicy.Failure(2, null));
        LoginPolicy.Failure third = policy.afterFailure(2, NOW);

        assertThat(third.lockedUntil()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(policy.isLocked(third.lockedUntil(), NOW.plus(Duration.ofMinutes(14)))).isTrue();
        assertThat(policy.isLocked(third.lockedUntil(), NOW.plus(Duration.ofMinutes(15)))).isFalse();
        assertThat(policy.isLocked(null, NOW)).isFalse();
    }

    @Test
    void shouldLimitAttemptsPerClientPerMinute() {
        MutableClock clock = new MutableClock(NOW);
        LoginRateLimit limit = new LoginRateLimit(2, clock);

        assertThat(limit.tryAcquire("10.0.0.1")).isTrue();
        assertThat(limit.tryAcquire("10.0.0.1")).isTrue();
        assertThat(limit.tryAcquire("10.0.0.1")).isFalse();
        assertThat(limit.tryAcquire("10.0.0.2")).as("another client").isTrue();
        clock.now = NOW.plusSeconds(61);
        assertThat(limit.tryAcquire("10.0.0.1")).as("a minute later").isTrue();
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
