package dev.meterflow.gatewaysim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every PaymentIntent the simulator created, by id and in creation order. */
final class PaymentIntentStore {

    private final Map<String, StoredPaymentIntent> byId = new LinkedHashMap<>();

    synchronized void add(StoredPaymentIntent intent) {
        byId.put(intent.id(), intent);
    }

    synchronized Optional<StoredPaymentIntent> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Matching intents created no later than {@code visibleUpTo}, newest first, as Stripe's search orders them. */
    synchronized List<StoredPaymentIntent> search(SearchQuery query, Instant visibleUpTo) {
        List<StoredPaymentIntent> found = new ArrayList<>();
        for (StoredPaymentIntent intent : byId.values()) {
            if (!intent.created().isAfter(visibleUpTo) && query.matches(intent)) {
                found.add(intent);
            }
        }
        Collections.reverse(found);
        return found;
    }

    /** Bank debits still processing whose settlement delay has passed at {@code now}. */
    synchronized List<StoredPaymentIntent> dueToSettle(Instant now, long settlementDelayMs) {
        return byId.values().stream().filter(intent -> intent.dueToSettle(now, settlementDelayMs)).toList();
    }

    synchronized void clear() {
        byId.clear();
    }
}
