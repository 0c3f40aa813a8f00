package dev.meterflow.worker.recharge;

import dev.meterflow.worker.gateway.ChargeCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * The retry and fallback policy for one request, as a pure function of its attempts so far (DESIGN.md
 * decision 4): try the payment methods in the order given (primary, backup, others); on a decline move to
 * the next; on an unknown outcome retry the same method with the same idempotency key a bounded number of
 * times, then hold the request for reconciliation — never charge another card while one's outcome is unknown.
 * A card is not charged anew when it was hard-declined before (for any request), or when its soft declines
 * across requests reached a {@link SoftDeclineLimits} limit at the time of the decision (issue 6 item 9). A card
 * whose outcome on this request is unknown is still called again with the same key: that is not a new attempt
 * at the card network. A card skipped for a request stays skipped for it, even if its window rolls meanwhile.
 * A bank debit that answered {@code processing} waits for its settlement (issue 10 §2): no other method meanwhile.
 */
public final class AttemptPlan {

    private final int maxTriesWhenUnknown;
    private final SoftDeclineLimits softDeclineLimits;

    /** @param maxTriesWhenUnknown gateway calls on one method while its outcome stays unknown, at least 1 */
    public AttemptPlan(int maxTriesWhenUnknown, SoftDeclineLimits softDeclineLimits) {
        if (maxTriesWhenUnknown < 1) {
            throw new IllegalArgumentException("maxTriesWhenUnknown must be >= 1, was " + maxTriesWhenUnknown);
        }
        this.maxTriesWhenUnknown = maxTriesWhenUnknown;
        this.softDeclineLimits = softDeclineLimits;
    }

    /**
     * @param paymentMethodIds the request's methods, in the order to try
     * @param attempts         this request's attempts so far
     * @param history          what every request left on record about the cards
     * @param nowMillis        the time of the decision: the soft-decline windows end here
     */
    public Step next(String requestId, List<String> paymentMethodIds, List<Attempt> attempts, CardHistory history,
                     long nowMillis) {
        for (Attempt attempt : attempts) {
            if (attempt.outcome() == Attempt.Outcome.SUCCEEDED) {
                return new Step.Finish(Step.Status.SUCCEEDED, attempt.paymentMethodId(), attempt.chargeId(), attempts);
            }
        }
        boolean skippedHardDeclined = false;
        List<Step.PassedOver> passedOver = new ArrayList<>();
        // a card before the furthest one this request has called was skipped when that one was chosen, and stays
        // skipped: its soft-decline window may have rolled since, but charging it now could go around a card
        // whose outcome is still unknown
        int furthestCalled = -1;
        for (int i = 0; i < paymentMethodIds.size(); i++) {
            String method = paymentMethodIds.get(i);
            if (attempts.stream().anyMatch(a -> a.paymentMethodId().equals(method))) {
                furthestCalled = i;
            }
        }
        for (int i = 0; i < paymentMethodIds.size(); i++) {
            String method = paymentMethodIds.get(i);
            List<Attempt> onMethod = attempts.stream().filter(a -> a.paymentMethodId().equals(method)).toList();
            String key = ChargeCommand.idempotencyKey(requestId, method);
            if (onMethod.isEmpty()) {
                if (history.hardDeclined().contains(method)) {
                    skippedHardDeclined = true;
                    continue;
                }
                Step.PassedOver declines = softDeclineLimits.count(method, history.softDeclinesOn(method), nowMillis);
                if (i < furthestCalled || softDeclineLimits.reached(declines)) {
                    passedOver.add(declines);
                    continue;
                }
                return new Step.Charge(method, key, passedOver);
            }
            Attempt last = onMethod.get(onMethod.size() - 1);
            if (last.processing()) {
                return new Step.AwaitSettlement(method, last.gatewayReference(), passedOver);
            }
            if (last.refused()) {
                continue;
            }
            long unresolvedTries = onMethod.stream().filter(Attempt::unresolved).count();
            return unresolvedTries < maxTriesWhenUnknown
                    ? new Step.Charge(method, key, passedOver)
                    : new Step.Hold(method, key, passedOver);
        }
        boolean declined = skippedHardDeclined || !passedOver.isEmpty() || attempts.stream().anyMatch(
                a -> a.outcome() == Attempt.Outcome.DECLINED_HARD || a.outcome() == Attempt.Outcome.DECLINED_SOFT);
        return new Step.Finish(declined ? Step.Status.DECLINED : Step.Status.FAILED, null, null, attempts,
                passedOver);
    }
}
