package dev.meterflow.worker.recharge;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the attempt log holds about payment methods across every request, as the plan needs it.
 *
 * @param hardDeclined         methods hard-declined by any request: never charged again
 * @param softDeclinedAtMillis for each method, when it was soft-declined (one time per idempotency key); only
 *                             the last {@link SoftDeclineLimits#THIRTY_DAYS} matter, a method not listed has none
 */
public record CardHistory(Set<String> hardDeclined, Map<String, List<Long>> softDeclinedAtMillis) {

    public CardHistory {
        hardDeclined = Set.copyOf(hardDeclined);
        softDeclinedAtMillis = softDeclinedAtMillis.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    public List<Long> softDeclinesOn(String paymentMethodId) {
        return softDeclinedAtMillis.getOrDefault(paymentMethodId, List.of());
    }
}
