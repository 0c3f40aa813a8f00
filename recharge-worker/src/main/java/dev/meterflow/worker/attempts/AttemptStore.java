package dev.meterflow.worker.attempts;

import dev.meterflow.worker.recharge.HardDeclines;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Where attempts are recorded before and after each gateway call. {@link #record} is durable on return. */
public interface AttemptStore {

    Optional<AttemptLogEntry> find(String requestId);

    /** Stores the entry durably: only then may the gateway be called. */
    void record(AttemptLogEntry entry);

    /** Payment methods that any request saw hard-declined. */
    Set<String> hardDeclinedMethods();

    /**
     * For each hard-declined payment method, the card details the requests that saw it declined named for it
     * ({@link HardDeclines#UNKNOWN_DETAILS} for a decline recorded before details were kept): the card stays
     * skipped while a request names the same details (issue 10, §6).
     */
    default Map<String, Set<String>> hardDeclinedCardDetails() {
        return hardDeclinedMethods().stream()
                .collect(Collectors.toUnmodifiableMap(method -> method, method -> Set.of(HardDeclines.UNKNOWN_DETAILS)));
    }

    /**
     * When any request saw this payment method soft-declined, at or after {@code sinceMillis} (the attempt's
     * {@code at}), oldest first: one time per idempotency key, since an answer replayed to the same key is one
     * decline at the card network.
     */
    List<Long> softDeclineTimes(String paymentMethodId, long sinceMillis);
}
