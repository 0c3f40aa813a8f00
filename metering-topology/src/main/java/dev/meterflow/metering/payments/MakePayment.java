package dev.meterflow.metering.payments;

import dev.meterflow.topics.RequestIds;

/**
 * A Make a Payment command, as the billing rules see it.
 *
 * @param paymentMethodId the method the admin chose, or {@code null}: primary, then backup, then the others
 */
public record MakePayment(String commandId, String accountId, long amountCents, String paymentMethodId,
                          long requestedAtMillis) {

    /**
     * The recharge request id of this payment, derived from the command id so a replay asks the worker for the
     * same charge (its idempotency keys are made from it). Hashed, so that any command id gives a request id the
     * worker accepts; with the account id, so two accounts' command ids never share a request.
     */
    public String requestId() {
        return requestIdOf(accountId, commandId);
    }

    /** The request id of the account's payment command {@code commandId} (see {@link #requestId()}). */
    public static String requestIdOf(String accountId, String commandId) {
        return RequestIds.payment(accountId, commandId);
    }
}
