package dev.meterflow.metering.payments;

/**
 * Why a payment command was refused, with a message the Billing Settings page can show as it is. Nothing was
 * charged.
 */
public record PaymentRefusal(Reason reason, String message) {

    public enum Reason {
        /** Blank command id, or one too long or with spaces. */
        INVALID_COMMAND,
        /** The record key is not the command's account id. */
        KEY_MISMATCH,
        /** No settings for the account. */
        UNKNOWN_ACCOUNT,
        /** The account is a sub-account: its usage is paid from its agency's balance, so the agency pays. */
        SUB_ACCOUNT_PAYS_VIA_PARENT,
        /** Under the gateway's smallest charge ($0.50), zero or negative. */
        AMOUNT_TOO_SMALL,
        /** Over {@code meterflow.payment.max-amount}. */
        AMOUNT_ABOVE_LIMIT,
        /** The chosen payment method is not one of the account's. */
        METHOD_NOT_ON_ACCOUNT,
        /** The chosen payment method cannot be charged (PayPal, Diners Club, a bank account). */
        METHOD_NOT_ACCEPTED,
        /** The chosen card was past its expiry month when the payment was asked for. */
        METHOD_EXPIRED,
        /** No method chosen, and the account has none that can be charged. */
        NO_USABLE_PAYMENT_METHOD,
        /** The account already has the most card payments waiting for a result. */
        TOO_MANY_OPEN_PAYMENTS,
        /** The account already has the most payments from a bank account waiting for the bank to settle them. */
        TOO_MANY_OPEN_BANK_PAYMENTS,
        /** This command id was already handled: it is not charged twice. */
        DUPLICATE_COMMAND
    }
}
