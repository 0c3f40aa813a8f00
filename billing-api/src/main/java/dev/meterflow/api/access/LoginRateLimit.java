package dev.meterflow.api.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code perMinute} sign-in attempts a minute from one client address, whatever the user: it slows a
 * password spray across many users, which the per-user lock-out does not see. In memory, per API instance.
 */
public final class LoginRateLimit {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final int perMinute;
    private final Clock clock;
    private final ConcurrentHashMap<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();

    public LoginRateLimit(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Records an attempt from {@code client}; false when it is over the limit. */
    public boolean tryAcquire(String client) {
        Instant now = Instant.now(clock);
        Deque<Instant> recent = attempts.computeIfAbsent(client, key -> new ArrayDeque<>());
        synchronized (recent) {
            while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(WINDOW))) {
                recent.pollFirst();
            }
            if (recent.size() >= perMinute) {
                return false;
            }
            recent.addLast(now);
            return true;
        }
    }
}
