package dev.meterflow.worker.attempts;

import dev.meterflow.worker.recharge.Attempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the worker did for one request so far.
 *
 * @param completedStatus the result status once it is committed to Kafka, {@code null} before
 * @param cardDetails     payment method id to the card details the request named for it
 *                        ({@link dev.meterflow.worker.recharge.HardDeclines#details}); empty for entries written
 *                        before they were kept
 */
public record AttemptLogEntry(String requestId, String accountId, long amountCents, List<Attempt> attempts,
                              String completedStatus, Map<String, String> cardDetails) {

    public AttemptLogEntry {
        attempts = List.copyOf(attempts);
        cardDetails = Map.copyOf(cardDetails);
    }

    /** An entry that names no card details. */
    public AttemptLogEntry(String requestId, String accountId, long amountCents, List<Attempt> attempts,
                           String completedStatus) {
        this(requestId, accountId, amountCents, attempts, completedStatus, Map.of());
    }

    public static AttemptLogEntry opened(String requestId, String accountId, long amountCents) {
        return new AttemptLogEntry(requestId, accountId, amountCents, List.of(), null);
    }

    /** With the card details the request names, so a hard decline is remembered with them. */
    public AttemptLogEntry withCardDetails(Map<String, String> details) {
        return new AttemptLogEntry(requestId, accountId, amountCents, attempts, completedStatus, details);
    }

    public AttemptLogEntry with(Attempt attempt) {
        List<Attempt> next = new ArrayList<>(attempts);
        next.add(attempt);
        return new AttemptLogEntry(requestId, accountId, amountCents, next, completedStatus, cardDetails);
    }

    /** Replaces the last attempt (its answer arrived). */
    public AttemptLogEntry withLast(Attempt attempt) {
        List<Attempt> next = new ArrayList<>(attempts);
        next.set(next.size() - 1, attempt);
        return new AttemptLogEntry(requestId, accountId, amountCents, next, completedStatus, cardDetails);
    }

    public AttemptLogEntry completed(String status) {
        return new AttemptLogEntry(requestId, accountId, amountCents, attempts, status, cardDetails);
    }

    public boolean isCompleted() {
        return completedStatus != null;
    }
}
