package dev.meterflow.metering.ledger;

/**
 * Everything the ledger keeps per billing account between records.
 *
 * @param balanceMicros     the balance: the sum of every ledger entry posted so far
 * @param paused            whether the account is paused (its balance went below zero)
 * @param pending           the recharge request in flight, or {@code null}
 * @param rechargeSequence  how many recharge requests this account has had, for deterministic request ids
 * @param backoff           after a declined or failed recharge: when automatic requests may start again, or
 *                          {@code null}
 */
public record AccountState(long balanceMicros, boolean paused, PendingRecharge pending, long rechargeSequence,
                           RechargeBackoff backoff) {

    /** A new account: zero balance, active, nothing pending. */
    public static AccountState opening() {
        return new AccountState(0, false, null, 0, null);
    }

    public AccountState withBalance(long newBalanceMicros) {
        return new AccountState(newBalanceMicros, paused, pending, rechargeSequence, backoff);
    }

    public AccountState withPaused(boolean newPaused) {
        return new AccountState(balanceMicros, newPaused, pending, rechargeSequence, backoff);
    }

    public AccountState withPending(PendingRecharge newPending) {
        return new AccountState(balanceMicros, paused, newPending, rechargeSequence, backoff);
    }

    public AccountState withBackoff(RechargeBackoff newBackoff) {
        return new AccountState(balanceMicros, paused, pending, rechargeSequence, newBackoff);
    }

    /** A new request in flight; a decline back-off stays, for the methods it covers. */
    public AccountState withNextRequest(PendingRecharge request) {
        return new AccountState(balanceMicros, paused, request, rechargeSequence + 1, backoff);
    }

    /**
     * A recharge request in flight.
     *
     * @param requestedAtMillis         when it was requested
     * @param paymentMethodsFingerprint the payment methods it offered ({@code RechargePolicy.fingerprint}): a
     *                                  decline backs off those, not ones the customer has added since;
     *                                  {@code null} for state written before this was kept
     */
    public record PendingRecharge(String requestId, long amountCents, long requestedAtMillis,
                                  String paymentMethodsFingerprint) {
    }

    /**
     * Until {@code notBeforeMillis}, the payment methods in {@code paymentMethodsFingerprint} (they declined)
     * are not offered; a method the account adds meanwhile is.
     */
    public record RechargeBackoff(long notBeforeMillis, String paymentMethodsFingerprint) {
    }
}
