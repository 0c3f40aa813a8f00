package dev.meterflow.metering.replay;

import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.UnpricedReason;
import dev.meterflow.metering.pricing.Usage;
import dev.meterflow.metering.pricing.UsagePricer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which parked usage events can be priced now, given today's settings and rate cards. Pure: the command
 * reads the topics, this decides. Re-publishing an event that was already debited is harmless (the
 * topology dedups by eventId), so a replay can always be run again.
 */
public final class ReplayPlan {

    private final List<Parked> toReplay = new ArrayList<>();
    private final Map<UnpricedReason, Integer> stillUnpriced = new TreeMap<>();

    private ReplayPlan() {
    }

    /**
     * @param settings  current settings by account id
     * @param ratePlans finds a current rate plan by id
     */
    public static ReplayPlan of(List<Parked> parked, Map<String, BillingSettings> settings,
                                Function<String, Optional<RatePlan>> ratePlans) {
        ReplayPlan plan = new ReplayPlan();
        for (Parked event : parked) {
            PricingOutcome outcome = UsagePricer.price(event.key(), event.usage(), settings.get(event.key()), ratePlans);
            if (outcome instanceof PricingOutcome.Unpriced unpriced) {
                plan.stillUnpriced.merge(unpriced.reason(), 1, Integer::sum);
            } else {
                plan.toReplay.add(event);
            }
        }
        return plan;
    }

    public List<Parked> toReplay() {
        return List.copyOf(toReplay);
    }

    /** Events that still cannot be priced, by reason. */
    public Map<UnpricedReason, Integer> stillUnpriced() {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(stillUnpriced));
    }

    /**
     * A parked event and where it was parked.
     *
     * @param payload the record value as stored on usage-unpriced, re-published byte for byte
     */
    public record Parked(String key, Usage usage, byte[] payload, int partition, long offset) {
    }
}
