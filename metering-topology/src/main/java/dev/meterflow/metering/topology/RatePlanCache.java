package dev.meterflow.metering.topology;

import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.schemas.RateCard;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Decoded rate plans, shared by the stream threads of one topology and invalidated by the global rate-card
 * updater as soon as it writes a card: pricing an event no longer reads and decodes the whole rate card.
 */
final class RatePlanCache {

    private final Map<String, Optional<RatePlan>> plans = new ConcurrentHashMap<>();

    /** The plan, loaded through {@code store} (a read of the global store) the first time. */
    Optional<RatePlan> get(String ratePlanId, Function<String, RateCard> store) {
        return plans.computeIfAbsent(ratePlanId,
                id -> Optional.ofNullable(store.apply(id)).map(AvroMapping::ratePlan));
    }

    /** After the global store changed this plan's card. */
    void invalidate(String ratePlanId) {
        plans.remove(ratePlanId);
    }
}
