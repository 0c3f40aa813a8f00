package dev.meterflow.worker.attempts;

import dev.meterflow.worker.recharge.Attempt;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The attempt log's in-memory view; {@link KafkaAttemptStore} keeps it durable. */
public class InMemoryAttemptStore implements AttemptStore {

    private final Map<String, AttemptLogEntry> entries = new ConcurrentHashMap<>();
    private final Set<String> hardDeclined = ConcurrentHashMap.newKeySet();

    @Override
    public Optional<AttemptLogEntry> find(String requestId) {
        return Optional.ofNullable(entries.get(requestId));
    }

    @Override
    public void record(AttemptLogEntry entry) {
        remember(entry);
    }

    @Override
    public Set<String> hardDeclinedMethods() {
        return Set.copyOf(hardDeclined);
    }

    protected final void remember(AttemptLogEntry entry) {
        entries.put(entry.requestId(), entry);
        entry.attempts().stream()
                .filter(attempt -> attempt.outcome() == Attempt.Outcome.DECLINED_HARD)
                .forEach(attempt -> hardDeclined.add(attempt.paymentMethodId()));
    }

    public int size() {
        return entries.size();
    }
}
