package dev.meterflow.worker.attempts;

import dev.meterflow.schemas.RechargeRequest;
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
 * @param parkedRequest   the request, once its bank debit is processing and it was parked: committed with the
 *                        consumer's offsets, so the settlement poll (not the input) finishes it; {@code null} before
 * @param parkedPartition the {@code recharge-requests} partition a parked request was read from, or -1
 */
public record AttemptLogEntry(String requestId, String accountId, long amountCents, List<Attempt> attempts,
                              String completedStatus, Map<String, String> cardDetails, RechargeRequest parkedRequest,
                              int parkedPartition) {

    public AttemptLogEntry {
        attempts = List.copyOf(attempts);
        cardDetails = Map.copyOf(cardDetails);
    }

    /** An entry that names no card details and is not parked. */
    public AttemptLogEntry(String requestId, String accountId, long amountCents, List<Attempt> attempts,
                           String completedStatus) {
        this(requestId, accountId, amountCents, attempts, completedStatus, Map.of(), null, -1);
    }

    public static AttemptLogEntry opened(String requestId, String accountId, long amountCents) {
        return new AttemptLogEntry(requestId, accountId, amountCents, List.of(), null);
    }

    /** With the card details the request names, so a hard decline is remembered with them. */
    public AttemptLogEntry withCardDetails(Map<String, String> details) {
        return new AttemptLogEntry(requestId, accountId, amountCents, attempts, completedStatus, details,
                parkedRequest, parkedPartition);
    }

    public AttemptLogEntry with(Attempt attempt) {
        List<Attempt> next = new ArrayList<>(attempts);
        next.add(attempt);
        return new AttemptLogEntry(requestId, accountId, amountCents, next, completedStatus, cardDetails,
                parkedRequest, parkedPartition);
    }

    /** Replaces the last attempt (its answer arrived). */
    public AttemptLogEntry withLast(Attempt attempt) {
        List<Attempt> next = new ArrayList<>(attempts);
        next.set(next.size() - 1, attempt);
        return new AttemptLogEntry(requestId, accountId, amountCents, next, completedStatus, cardDetails,
                parkedRequest, parkedPartition);
    }

    /**
     * Completed: the parked request is no longer needed, so the compacted log keeps only the attempts (and the card
     * details, which later requests' hard-decline checks read).
     */
    public AttemptLogEntry completed(String status) {
        return new AttemptLogEntry(requestId, accountId, amountCents, attempts, status, cardDetails, null, -1);
    }

    /** Parked while its bank debit settles: the request and its partition go with it. */
    public AttemptLogEntry parked(RechargeRequest request, int partition) {
        return new AttemptLogEntry(requestId, accountId, amountCents, attempts, completedStatus, cardDetails, request,
                partition);
    }

    public boolean isCompleted() {
        return completedStatus != null;
    }

    /** Parked and not completed: the owner of {@link #parkedPartition} polls its settlement. */
    public boolean isParked() {
        return parkedRequest != null && !isCompleted();
    }
}
