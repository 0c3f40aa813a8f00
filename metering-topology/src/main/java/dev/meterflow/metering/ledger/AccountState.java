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
 * @param openPlanFees      plan fees asked of the worker (direct charge) and not answered yet, oldest first;
 *                          apart from {@code pending} too
 */
public record AccountState(long balanceMicros, boolean paused, PendingRecharge pending, long rechargeSequence,
                           RechargeBackoff backoff, List<OpenPayment> openPayments, List<OpenPlanFee> openPlanFees) {

    public AccountState {
        openPayments = List.copyOf(openPayments);
        openPlanFees = List.copyOf(openPlanFees);
    }

    /** No plan fee open. */
    public AccountState(long balanceMicros, boolean paused, PendingRecharge pending, long rechargeSequence,
                        RechargeBackoff backoff, List<OpenPayment> openPayments) {
        this(balanceMicros, paused, pending, rechargeSequence, backoff, openPayments, List.of());
    }

    /** No one-time payment or plan fee open. */
    public AccountState(long balanceMicros, boolean paused, PendingRecharge pending, long rechargeSequence,
                        RechargeBackoff backoff) {
        this(balanceMicros, paused, pending, rechargeSequence, backoff, List.of(), List.of());
    }

    /** A new account: zero balance, active, nothing pending. */
    public static AccountState opening() {
        return new AccountState(0, false, null, 0, null);
    }

    public AccountState withBalance(long newBalanceMicros) {
        return new AccountState(newBalanceMicros, paused, pending, rechargeSequence, backoff, openPayments,
                openPlanFees);
    }

    public AccountState withPaused(boolean newPaused) {
        return new AccountState(balanceMicros, newPaused, pending, rechargeSequence, backoff, openPayments,
                openPlanFees);
    }

    public AccountState withPending(PendingRecharge newPending) {
        return new AccountState(balanceMicros, paused, newPending, rechargeSequence, backoff, openPayments,
                openPlanFees);
    }

    public AccountState withBackoff(RechargeBackoff newBackoff) {
        return new AccountState(balanceMicros, paused, pending, rechargeSequence, newBackoff, openPayments,
                openPlanFees);
    }

    /** A new request in flight; a decline back-off stays, for the methods it covers. */
    public AccountState withNextRequest(PendingRecharge request) {
        return new AccountState(balanceMicros, paused, request, rechargeSequence + 1, backoff, openPayments,
                openPlanFees);
    }

    /** With a one-time payment asked of the worker. */
    public AccountState withOpenPayment(OpenPayment payment) {
        List<OpenPayment> open = new ArrayList<>(openPayments);
        open.add(payment);
        return new AccountState(balanceMicros, paused, pending, rechargeSequence, backoff, open, openPlanFees);
    }

    /** Without the one-time payment of this request (answered). */
    public AccountState withoutOpenPayment(String requestId) {
        List<OpenPayment> open = openPayments.stream().filter(p -> !p.requestId().equals(requestId)).toList();
        return new AccountState(balanceMicros, paused, pending, rechargeSequence, backoff, open, openPlanFees);
    }

    /** With a plan fee asked of the worker. */
    public AccountState withOpenPlanFee(OpenPlanFee fee) {
        List<OpenPlanFee> open = new ArrayList<>(openPlanFees);
        open.add(fee);
        return new AccountState(balanceMicros, paused, pending, rechargeSequence, backoff, openPayments, open);
    }

    /** Without the plan fee of this request (answered). */
    public AccountState withoutOpenPlanFee(String requestId) {
        List<OpenPlanFee> open = openPlanFees.stream().filter(f -> !f.requestId().equals(requestId)).toList();
        return new AccountState(balanceMicros, paused, pending, rechargeSequence, backoff, openPayments, open);
    }

    /** The open plan fee of this request, if it is one. */
    public Optional<OpenPlanFee> openPlanFee(String requestId) {
        return openPlanFees.stream().filter(f -> f.requestId().equals(requestId)).findFirst();
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
     *
     * @param offersBankAccount whether a bank account was among the methods offered: its result may come only when
     *                          the bank settles the debit, days later
     */
    public record OpenPayment(String requestId, String commandId, long amountCents, long requestedAtMillis,
                              boolean offersBankAccount) {
    }

    /**
     * A plan fee asked of the worker instead of debited (issue 10, §3): what its usage event would have debited,
     * so that a decline debits exactly that, under the same entry id.
     *
     * @param indexedForTax whether the fee joined its month's taxable base when it was asked; {@code false} only
     *                      for a fee asked by an earlier release, which taxed a fee at its result
     */
    public record OpenPlanFee(String requestId, String eventId, String sku, long quantity, long amountMicros,
                              long occurredAtMillis, long requestedAtMillis, boolean indexedForTax) {
    }
}
