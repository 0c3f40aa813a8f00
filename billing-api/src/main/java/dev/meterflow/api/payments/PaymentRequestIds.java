package dev.meterflow.api.payments;

import dev.meterflow.topics.RequestIds;

/**
 * The request id the pipeline gives a payment command it accepts ({@link RequestIds#payment}, the derivation the
 * metering topology uses too): its result on {@code payment-results} carries it, which is how the read model finds
 * a command's outcome.
 */
public final class PaymentRequestIds {

    private PaymentRequestIds() {
    }

    public static String of(String accountId, String commandId) {
        return RequestIds.payment(accountId, commandId);
    }
}
