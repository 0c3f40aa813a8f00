package dev.meterflow.worker.recharge;

import dev.meterflow.worker.gateway.ChargeCommand;
import java.util.List;
import java.util.Set;

/**
 * The retry and fallback policy for one request, as a pure function of its attempts so far (DESIGN.md
 * decision 4): try the payment methods in the order given (primary, backup, others); on a decline move to
 * the next; on an unknown outcome retry the same method with the same idempotency key a bounded number of
 * times, then hold the request for reconciliation — never charge another card while one's outcome is unknown.
 * A card hard-declined before (for any request) is skipped.
 */
public final class AttemptPlan {

    private final int maxTriesWhenUnknown;

    /** @param maxTriesWhenUnknown gateway calls on one method while its outcome stays unknown, at least 1 */
    public AttemptPlan(int maxTriesWhenUnknown) {
        if (maxTriesWhenUnknown < 1) {
            throw new IllegalArgumentException("maxTriesWhenUnknown must be >= 1, was " + maxTriesWhenUnknown);
        }
        this.maxTriesWhenUnknown = maxTriesWhenUnknown;
    }

    /**
     * @param paymentMethodIds the request's methods, in the order to try
     * @param hardDeclined     methods hard-declined by an earlier request: never charged again
     */
    public Step next(String requestId, List<String> paymentMethodIds, List<Attempt> attempts,
                     Set<String> hardDeclined) {
        for (Attempt attempt : attempts) {
            if (attempt.outcome() == Attempt.Outcome.SUCCEEDED) {
                return new Step.Finish(Step.Status.SUCCEEDED, attempt.paymentMethodId(), attempt.chargeId(), attempts);
            }
        }
        boolean skippedHardDeclined = false;
        for (String method : paymentMethodIds) {
            List<Attempt> onMethod = attempts.stream().filter(a -> a.paymentMethodId().equals(method)).toList();
            String key = ChargeCommand.idempotencyKey(requestId, method);
            if (onMethod.isEmpty()) {
                if (hardDeclined.contains(method)) {
                    skippedHardDeclined = true;
                    continue;
                }
                return new Step.Charge(method, key);
            }
            Attempt last = onMethod.get(onMethod.size() - 1);
            if (last.refused()) {
                continue;
            }
            long unresolvedTries = onMethod.stream().filter(Attempt::unresolved).count();
            return unresolvedTries < maxTriesWhenUnknown ? new Step.Charge(method, key) : new Step.Hold(method, key);
        }
        boolean declined = skippedHardDeclined || attempts.stream().anyMatch(
                a -> a.outcome() == Attempt.Outcome.DECLINED_HARD || a.outcome() == Attempt.Outcome.DECLINED_SOFT);
        return new Step.Finish(declined ? Step.Status.DECLINED : Step.Status.FAILED, null, null, attempts);
    }
}
