package dev.meterflow.metering.ledger;

/**
 * A payment result, as the ledger sees it.
 *
 * @param paymentMethodId the method charged, {@code null} when none was
 */
public record PaymentOutcome(String requestId, String accountId, Status status, long amountCents,
                             long completedAtMillis, String paymentMethodId) {

    /** A result that names no charged method. */
    public PaymentOutcome(String requestId, String accountId, Status status, long amountCents,
                          long completedAtMillis) {
        this(requestId, accountId, status, amountCents, completedAtMillis, null);
    }

    public enum Status { SUCCEEDED, DECLINED, FAILED }
}
