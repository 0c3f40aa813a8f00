package dev.meterflow.worker.attempts;

import java.util.Optional;
import java.util.Set;

/** Where attempts are recorded before and after each gateway call. {@link #record} is durable on return. */
public interface AttemptStore {

    Optional<AttemptLogEntry> find(String requestId);

    /** Stores the entry durably: only then may the gateway be called. */
    void record(AttemptLogEntry entry);

    /** Payment methods that any request saw hard-declined: they are never charged again. */
    Set<String> hardDeclinedMethods();
}
