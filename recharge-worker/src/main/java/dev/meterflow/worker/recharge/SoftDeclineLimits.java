package dev.meterflow.worker.recharge;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How often one card may be soft-declined across requests before it is left alone, from the card networks'
 * retry rules (Visa: at most 15 re-attempts of a declined card in 30 days; Mastercard counts retries per 24
 * hours too). Both windows roll: a decline counts for exactly {@link #DAY} and {@link #THIRTY_DAYS} after it.
 *
 * @param maxPerDay     soft declines on one card within the last 24 hours at which no new charge is made on it
 * @param maxPer30Days  the same within the last 30 days
 */
public record SoftDeclineLimits(int maxPerDay, int maxPer30Days) {

    public static final Duration DAY = Duration.ofHours(24);
    public static final Duration THIRTY_DAYS = Duration.ofDays(30);

    public SoftDeclineLimits {
        if (maxPerDay < 1 || maxPer30Days < 1) {
            throw new IllegalArgumentException("soft-decline limits must be >= 1, were maxPerDay=" + maxPerDay
                    + " maxPer30Days=" + maxPer30Days);
        }
    }

    /**
     * The card's soft declines in each window at {@code nowMillis}, when either limit is reached; empty when a new
     * charge may go ahead.
     */
    public Optional<Step.PassedOver> check(String paymentMethodId, List<Long> softDeclinedAtMillis, long nowMillis) {
        Step.PassedOver declines = count(paymentMethodId, softDeclinedAtMillis, nowMillis);
        return reached(declines) ? Optional.of(declines) : Optional.empty();
    }

    /** The card's soft declines in each window at {@code nowMillis}, whether or not a limit is reached. */
    Step.PassedOver count(String paymentMethodId, List<Long> softDeclinedAtMillis, long nowMillis) {
        return new Step.PassedOver(paymentMethodId, countWithin(softDeclinedAtMillis, DAY, nowMillis),
                countWithin(softDeclinedAtMillis, THIRTY_DAYS, nowMillis));
    }

    /** Whether either limit is reached by these counts. */
    boolean reached(Step.PassedOver declines) {
        return declines.softDeclinesInDay() >= maxPerDay || declines.softDeclinesIn30Days() >= maxPer30Days;
    }

    /** Declines later than {@code nowMillis - window} (one stamped ahead of this clock counts too). */
    private static int countWithin(List<Long> atMillis, Duration window, long nowMillis) {
        long after = nowMillis - window.toMillis();
        return (int) atMillis.stream().filter(at -> at > after).count();
    }
}
