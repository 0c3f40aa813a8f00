package dev.meterflow.metering.ledger;

/** A payment result, as the ledger sees it. */
public record PaymentOutcome(String requestId, String accountId, Status status, long amountCents,
                             long completedAtMillis) {

    public enum Status { SUCCEEDED, DECLINED, FAILED }
}
