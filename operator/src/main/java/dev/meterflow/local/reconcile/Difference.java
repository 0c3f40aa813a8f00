package dev.meterflow.local.reconcile;

/**
 * One thing that does not add up.
 *
 * @param check     which reconciliation found it
 * @param accountId the account, or {@code null} if not known
 * @param requestId the recharge request, or {@code null} for a ledger difference
 * @param detail    what was expected and what was found
 */
public record Difference(Check check, String accountId, String requestId, String detail) {

    @Override
    public String toString() {
        return Reconciler.line(check, accountId, requestId, detail);
    }
}
