package dev.meterflow.worker.attempts;

import dev.meterflow.worker.recharge.Attempt;
import dev.meterflow.worker.recharge.HardDeclines;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The attempt log's in-memory view; {@link KafkaAttemptStore} keeps it durable. */
public class InMemoryAttemptStore implements AttemptStore {

    private final Map<String, AttemptLogEntry> entries = new ConcurrentHashMap<>();
    /** payment method id -> the card details each hard decline of it was seen with */
    private final Map<String, Set<String>> hardDeclined = new ConcurrentHashMap<>();
    /** payment method id -> idempotency key -> when it was soft-declined */
    private final Map<String, Map<String, Long>> softDeclines = new ConcurrentHashMap<>();

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
        return Set.copyOf(hardDeclined.keySet());
    }

    @Override
    public Map<String, Set<String>> hardDeclinedCardDetails() {
        return hardDeclined.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> Set.copyOf(entry.getValue())));
    }

    @Override
    public List<Long> softDeclineTimes(String paymentMethodId, long sinceMillis) {
        return softDeclines.getOrDefault(paymentMethodId, Map.of()).values().stream()
                .filter(at -> at >= sinceMillis).sorted().toList();
    }

    protected final void remember(AttemptLogEntry entry) {
        entries.put(entry.requestId(), entry);
        for (Attempt attempt : entry.attempts()) {
            if (attempt.outcome() == Attempt.Outcome.DECLINED_HARD) {
                hardDeclined.computeIfAbsent(attempt.paymentMethodId(), pm -> ConcurrentHashMap.newKeySet())
                        .add(entry.cardDetails().getOrDefault(attempt.paymentMethodId(), HardDeclines.UNKNOWN_DETAILS));
            } else if (attempt.outcome() == Attempt.Outcome.DECLINED_SOFT) {
                softDeclines.computeIfAbsent(attempt.paymentMethodId(), pm -> new ConcurrentHashMap<>())
                        .merge(attempt.idempotencyKey(), attempt.atMillis(), Math::min);
            }
        }
    }

    /** The requests parked while their bank debit settles (issue 10 §2), to be polled by their partition's owner. */
    public List<AttemptLogEntry> parked() {
        return entries.values().stream().filter(AttemptLogEntry::isParked).toList();
    }

    public int size() {
        return entries.size();
    }
}
