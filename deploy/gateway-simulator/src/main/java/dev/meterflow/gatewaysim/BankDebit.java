package dev.meterflow.gatewaysim;

/**
 * How a test bank account (ACH Direct Debit, Stripe's {@code us_bank_account}) settles: the PaymentIntent answers
 * {@code processing} first, as Stripe's does, and settles after the simulator's settlement delay, succeeded or
 * returned by the bank.
 *
 * @param returnCode   the NACHA return code ({@code R01}, ...), {@code null} when the debit settles successfully
 * @param declineCode  Stripe's decline code for that return ({@code insufficient_funds}, ...), or {@code null}
 * @param message      the failure message, or {@code null}
 * @param neverSettles stays {@code processing} whatever the delay ({@code pm_usBankAccount_processing})
 */
record BankDebit(String returnCode, String declineCode, String message, boolean neverSettles) {

    static BankDebit settles() {
        return new BankDebit(null, null, null, false);
    }

    static BankDebit returned(String returnCode, String declineCode, String message) {
        return new BankDebit(returnCode, declineCode, message, false);
    }

    static BankDebit processingForever() {
        return new BankDebit(null, null, null, true);
    }

    boolean isReturned() {
        return returnCode != null;
    }

    /** The failure as the PaymentIntent's {@code last_payment_error} states it once the debit was returned. */
    CardDecline asDecline() {
        return new CardDecline(declineCode, declineCode, message, null);
    }
}
