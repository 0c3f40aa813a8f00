package dev.meterflow.worker.attempts;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where attempts are recorded before and after each gateway call. {@link #record} is durable on return. */
public interface AttemptStore {

    Optional<AttemptLogEntry> find(String requestId);

    /** Stores the entry durably: only then may the gateway be called. */
    void record(AttemptLogEntry entry);

    /** Payment methods that any request saw hard-declined: they are never charged again. */
    Set<String> hardDeclinedMethods();

    /**
     * When any request saw this payment method soft-declined, at or after {@code sinceMillis} (the attempt's
     * {@code at}), oldest first: one time per idempotency key, since an answer replayed to the same key is one
     * decline at the card network.
     */
    List<Long> softDeclineTimes(String paymentMethodId, long sinceMillis);
}
