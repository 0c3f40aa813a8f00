package dev.meterflow.metering.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the ledger keeps per billing account between records.
 *
 * @param balanceMicros     the balance: the sum of every ledger entry posted so far
 * @param paused            whether the account is paused (its balance went below zero)
 * @param pending           the recharge request in flight, or {@code null}
 * @param rechargeSequence  how many recharge requests this account has had, for deterministic request ids
 * @param backoff           after a declined or failed recharge: when automatic requests may start again, or
 *                          {@code null}
 * @param openPayments      one-time payments asked of the worker and not answered yet, oldest first; they are
 *                          apart from {@code pending}, which only an automatic recharge occupies
 */
public record AccountState(long balanceMicros, boolean paused, PendingRecharge pending, long rechargeSequence,
                           RechargeBackoff backoff, List<OpenPayment> openPayments) {

    public AccountState {
        openPayments = List.copyOf(openPayments);
    }

    /** No one-time payment open. */
    public AccountState(long balanceMicros, boolean paused, PendingRecharge pending, long rechargeSequence,
                        RechargeBackoff backoff) {
        this(balanceMicros, paused, pending, rechargeSequence, backoff, List.of());
    }

    /** A new account: zero balance, active, nothing pending. */
    public static AccountState opening() {
        return new AccountState(0, false, null, 0, null);
    }

    public AccountState withBalance(long newBalanceMicros) {
        return new AccountState(newBalanceMicros, paused, pending, rechargeSequence, backoff, openPayments);
    }

    public AccountState withPaused(boolean newPaused) {
        return new AccountState(balanceMicros, newPaused, pending, rechargeSequence, backoff, openPayments);
    }

    public AccountState withPending(PendingRecharge newPending) {
        return new AccountState(balanceMicros, paused, newPending, rechargeSequence, backoff, openPayments);
    }

    public AccountState withBackoff(RechargeBackoff newBackoff) {
        return new AccountState(balanceMicros, paused, pending, rechargeSequence, newBackoff, openPayments);
    }

    /** A new request in flight; a decline back-off stays, for the methods it covers. */
    public AccountState withNextRequest(PendingRecharge request) {
        return new AccountState(balanceMicros, paused, request, rechargeSequence + 1, backoff, openPayments);
    }

    /** With a one-time payment asked of the worker. */
    public AccountState withOpenPayment(OpenPayment payment) {
        List<OpenPayment> open = new ArrayList<>(openPayments);
        open.add(payment);
        return new AccountState(balanceMicros, paused, pending, rechargeSequence, backoff, open);
    }

    /** Without the one-time payment of this request (answered). */
    public AccountState withoutOpenPayment(String requestId) {
        List<OpenPayment> open = openPayments.stream().filter(p -> !p.requestId().equals(requestId)).toList();
        return new AccountState(balanceMicros, paused, pending, rechargeSequence, backoff, open);
    }

    /** The open one-time payment of this request, if it is one. */
    public Optional<OpenPayment> openPayment(String requestId) {
        return openPayments.stream().filter(p -> p.requestId().equals(requestId)).findFirst();
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

    /**
     * A one-time payment (Make a Payment) asked of the worker: its result is matched by {@code requestId} and
     * credited with {@code commandId} as the ledger entry's source.
     */
    public record OpenPayment(String requestId, String commandId, long amountCents, long requestedAtMillis) {
    }
}
