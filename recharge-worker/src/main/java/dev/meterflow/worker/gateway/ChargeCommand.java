package dev.meterflow.worker.gateway;

/**
 * One charge to ask of the gateway.
 *
 * @param idempotencyKey the same for every retry of this request on this payment method, so the gateway
 *                       charges at most once whatever the retries
 */
public record ChargeCommand(String requestId, String accountId, String customerId, String paymentMethodId,
                            long amountCents, String currency, String idempotencyKey) {

    /** The idempotency key of a request on a payment method: stable across retries and restarts. */
    public static String idempotencyKey(String requestId, String paymentMethodId) {
        return "meterflow/" + requestId + "/" + paymentMethodId;
    }
}
