package dev.meterflow.worker.gateway;

import java.util.Optional;

/** The payment gateway, as the worker needs it. Implementations classify every answer; they do not throw. */
public interface PaymentGateway {

    /** Charges once per idempotency key: a retry with the same key returns the first answer. */
    GatewayAnswer charge(ChargeCommand command);

    /**
     * Looks up what happened to a charge whose answer was lost (a timeout, a 5xx): the payment the gateway
     * holds for this request and payment method, if any.
     */
    Optional<GatewayAnswer> lookUp(String requestId, String paymentMethodId);

    /**
     * What became of a payment intent that answered {@link GatewayAnswer.Kind#PROCESSING} (a bank debit): SUCCEEDED,
     * declined with the bank's return code, still PROCESSING, or UNKNOWN when the gateway did not answer.
     */
    GatewayAnswer retrieve(String paymentIntentId);
}
