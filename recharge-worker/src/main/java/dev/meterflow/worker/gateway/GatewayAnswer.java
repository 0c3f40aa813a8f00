package dev.meterflow.worker.gateway;

/**
 * What the gateway said about one charge, classified.
 *
 * @param declineCode      the gateway's decline code (or error code), {@code null} on success
 * @param gatewayReference the payment intent id, when the gateway gave one
 * @param chargeId         the charge id, on success
 */
public record GatewayAnswer(Kind kind, String declineCode, String gatewayReference, String chargeId,
                            String message) {

    /**
     * SUCCEEDED: charged. DECLINED_HARD: the card must not be charged again (lost, stolen, fraudulent, closed).
     * DECLINED_SOFT: declined for now (insufficient funds, try again later). ERROR: refused before any charge
     * (bad request, authentication): nothing was charged. UNKNOWN: timeout, connection reset or 5xx; the
     * charge may or may not have happened. RATE_LIMITED: not processed, ask again later (429). PROCESSING: a bank
     * debit (ACH) was sent and settles in days; retrieve the payment intent ({@code gatewayReference}) until it has.
     */
    public enum Kind { SUCCEEDED, DECLINED_HARD, DECLINED_SOFT, ERROR, UNKNOWN, RATE_LIMITED, PROCESSING }

    public static GatewayAnswer succeeded(String gatewayReference, String chargeId) {
        return new GatewayAnswer(Kind.SUCCEEDED, null, gatewayReference, chargeId, "succeeded");
    }

    public static GatewayAnswer processing(String paymentIntentId) {
        return new GatewayAnswer(Kind.PROCESSING, null, paymentIntentId, null, "processing");
    }

    public static GatewayAnswer unknown(String message) {
        return new GatewayAnswer(Kind.UNKNOWN, null, null, null, message);
    }
}
