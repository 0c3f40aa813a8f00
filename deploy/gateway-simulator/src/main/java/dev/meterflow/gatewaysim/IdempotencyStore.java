package dev.meterflow.gatewaysim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stripe's idempotency layer for POST requests: the first request with a key reserves it while it executes;
 * its status and body are then saved and replayed to every later request with the same key and the same
 * parameters. Keys are scoped by API key and pruned after 24 hours, after which a key executes afresh.
 * Requests that fail before executing (validation, rate limit, injected 500s) never reach this store.
 */
final class IdempotencyStore {

    static final Duration RETENTION = Duration.ofHours(24);

    /** What to do with a request that carries an idempotency key. */
    sealed interface Lookup permits Reserved, Replay, Mismatch, InUse {
    }

    /** The key is new: execute, then {@link #complete} or {@link #release} it. */
    record Reserved() implements Lookup {
    }

    /** The key was used with these parameters before: answer with the saved response. */
    record Replay(ApiResponse response) implements Lookup {
    }

    /** The key was used with other parameters: {@code 400 idempotency_error}. */
    record Mismatch() implements Lookup {
    }

    /** A request with this key is still executing: {@code 409 idempotency_key_in_use}. */
    record InUse() implements Lookup {
    }

    private record ScopedKey(String scope, String key) {
    }

    private record Entry(String fingerprint, Instant reservedAt, String requestId, ApiResponse response) {
    }

    private final Clock clock;
    // Insertion order is age order, so pruning stops at the first entry that is young enough.
    private final Map<ScopedKey, Entry> entries = new LinkedHashMap<>();

    IdempotencyStore(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param scope       the API key's scope (a hash, never the key itself)
     * @param fingerprint method, path and parameters of the request, in a canonical form
     * @param requestId   the request's id, reported as {@code Original-Request} on replays
     */
    synchronized Lookup reserve(String scope, String key, String fingerprint, String requestId) {
        prune();
        ScopedKey scopedKey = new ScopedKey(scope, key);
        Entry entry = entries.get(scopedKey);
        if (entry == null) {
            entries.put(scopedKey, new Entry(fingerprint, clock.instant(), requestId, null));
            return new Reserved();
        }
        if (!entry.fingerprint().equals(fingerprint)) {
            return new Mismatch();
        }
        if (entry.response() == null) {
            return new InUse();
        }
        return new Replay(entry.response()
                .withHeader("Idempotent-Replayed", "true")
                .withHeader("Original-Request", entry.requestId()));
    }

    /** Saves the response of a reserved key for replay. */
    synchronized void complete(String scope, String key, ApiResponse response) {
        entries.computeIfPresent(new ScopedKey(scope, key),
                (k, entry) -> new Entry(entry.fingerprint(), entry.reservedAt(), entry.requestId(), response));
    }

    /** Frees a reserved key without saving anything, so a retry executes again. */
    synchronized void release(String scope, String key) {
        entries.remove(new ScopedKey(scope, key));
    }

    synchronized void clear() {
        entries.clear();
    }

    private void prune() {
        Instant oldestKept = clock.instant().minus(RETENTION);
        Iterator<Entry> oldestFirst = entries.values().iterator();
        while (oldestFirst.hasNext()) {
            Entry entry = oldestFirst.next();
            if (!entry.reservedAt().isBefore(oldestKept)) {
                return;
            }
            oldestFirst.remove();
        }
    }
}
