package dev.meterflow.worker.recharge;

/**
 * Why a recharge request is not sent to the gateway: a stable {@code reason} (the dead letter's
 * {@code meterflow.reason} header) and a {@code detail} an operator can act on. The detail never repeats a
 * payment method id, which could be a card number pasted where a token belongs.
 */
public record RequestRefusal(Reason reason, String detail) {

    public enum Reason {
        BLANK_ID,
        ILL_FORMED_ID,
        KEY_MISMATCH,
        AMOUNT_OUT_OF_BOUNDS,
        UNSUPPORTED_CURRENCY,
        TOO_MANY_PAYMENT_METHODS,
        /** An automatic recharge offering a bank account: bank debits settle in days (contract promise 3). */
        ACH_FOR_AUTO_RECHARGE,
        INVALID_PAYMENT_METHOD,
        TOO_MANY_RECIPIENTS,
        INVALID_RECIPIENT,
        OUTPUTS_TOO_LARGE
    }
}
