package dev.meterflow.worker.attempts;

import dev.meterflow.worker.recharge.Attempt;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the worker did for one request so far.
 *
 * @param completedStatus the result status once it is committed to Kafka, {@code null} before
 */
public record AttemptLogEntry(String requestId, String accountId, long amountCents, List<Attempt> attempts,
                              String completedStatus) {

    public AttemptLogEntry {
        attempts = List.copyOf(attempts);
    }

    public static AttemptLogEntry opened(String requestId, String accountId, long amountCents) {
        return new AttemptLogEntry(requestId, accountId, amountCents, List.of(), null);
    }

    public AttemptLogEntry with(Attempt attempt) {
        List<Attempt> next = new ArrayList<>(attempts);
        next.add(attempt);
        return new AttemptLogEntry(requestId, accountId, amountCents, next, completedStatus);
    }

    /** Replaces the last attempt (its answer arrived). */
    public AttemptLogEntry withLast(Attempt attempt) {
        List<Attempt> next = new ArrayList<>(attempts);
        next.set(next.size() - 1, attempt);
        return new AttemptLogEntry(requestId, accountId, amountCents, next, completedStatus);
    }

    public AttemptLogEntry completed(String status) {
        return new AttemptLogEntry(requestId, accountId, amountCents, attempts, status);
    }

    public boolean isCompleted() {
        return completedStatus != null;
    }
}
