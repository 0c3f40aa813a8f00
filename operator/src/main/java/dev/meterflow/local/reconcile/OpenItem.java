package dev.meterflow.local.reconcile;

/**
 * Something not finished yet rather than wrong: a request (or its result, credit or charge) younger than the
 * grace period, or a bank payment whose debit is still processing. Listed, not counted as a difference; run again
 * later if it stays.
 */
public record OpenItem(Check check, String accountId, String requestId, String detail) {

    @Override
    public String toString() {
        return Reconciler.line(check, accountId, requestId, detail);
    }
}
