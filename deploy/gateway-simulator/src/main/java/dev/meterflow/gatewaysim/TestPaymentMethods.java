package dev.meterflow.gatewaysim;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stripe's documented test payment methods (docs.stripe.com/testing, "Declined payments"). Every token
 * not listed here succeeds, like {@code pm_card_visa}, {@code pm_card_mastercard} and {@code pm_card_amex}.
 *
 * <p>The error {@code code} / {@code decline_code} pairs are the ones Stripe's API returns: the testing page
 * lists no decline code for expired card, incorrect CVC and processing error, but the API repeats the error
 * code there, and so does the simulator.
 *
 * <p>Bank accounts (ACH Direct Debit) are Stripe's test tokens {@code pm_usBankAccount_*}: their PaymentIntent is
 * {@code processing} until it settles ({@link BankDebit}). {@code ..._success} settles, {@code ..._insufficientFunds}
 * is returned R01, {@code ..._accountClosed} R02, {@code ..._noAccount} R03, {@code ..._debitNotAuthorized} R10,
 * and {@code ..._processing} never settles; any other {@code pm_usBankAccount_} token settles.
 *
 * <p>Beyond Stripe: a token with a {@code __} suffix behaves like the token before it
 * ({@code pm_card_chargeDeclinedStolenCard__acct-7} is a stolen card of its own), so that a test can give
 * every account its own cards and count what happened to each.
 */
final class TestPaymentMethods {

    private static final String DECLINED = "Your card was declined.";
    private static final String OWN_CARD_SUFFIX = "__";
    private static final String BANK_ACCOUNT_PREFIX = "pm_usBankAccount_";
    private static final Map<String, CardDecline> DECLINES = declines();
    private static final Map<String, BankDebit> BANK_DEBITS = Map.of(
            "pm_usBankAccount_insufficientFunds",
            BankDebit.returned("R01", "insufficient_funds", "The customer's bank account has insufficient funds."),
            "pm_usBankAccount_accountClosed",
            BankDebit.returned("R02", "bank_account_closed", "The customer's bank account has been closed."),
            "pm_usBankAccount_noAccount",
            BankDebit.returned("R03", "bank_account_invalid_details", "The customer's bank account could not be"
                    + " located."),
            "pm_usBankAccount_debitNotAuthorized",
            BankDebit.returned("R10", "debit_not_authorized", "The customer notified their bank that this debit was"
                    + " not authorized."),
            "pm_usBankAccount_processing", BankDebit.processingForever());

    private TestPaymentMethods() {
    }

    /** The decline this token always produces, or empty if it is charged successfully (or is a bank account). */
    static Optional<CardDecline> declineFor(String paymentMethod) {
        return Optional.ofNullable(DECLINES.get(behavesLike(paymentMethod)));
    }

    /** How this token's debit settles, if it is a test bank account. */
    static Optional<BankDebit> bankDebitFor(String paymentMethod) {
        String token = behavesLike(paymentMethod);
        if (!token.startsWith(BANK_ACCOUNT_PREFIX)) {
            return Optional.empty();
        }
        return Optional.of(BANK_DEBITS.getOrDefault(token, BankDebit.settles()));
    }

    private static String behavesLike(String paymentMethod) {
        int suffix = paymentMethod.indexOf(OWN_CARD_SUFFIX);
        return suffix < 0 ? paymentMethod : paymentMethod.substring(0, suffix);
    }

    private static Map<String, CardDecline> declines() {
        Map<String, CardDecline> bySuffix = Map.of(
                "chargeDeclined",
                new CardDecline("card_declined", "generic_decline", DECLINED, null),
                "chargeDeclinedInsufficientFunds",
                new CardDecline("card_declined", "insufficient_funds", "Your card has insufficient funds.", null),
                "chargeDeclinedLostCard",
                new CardDecline("card_declined", "lost_card", DECLINED, null),
                "chargeDeclinedStolenCard",
                new CardDecline("card_declined", "stolen_card", DECLINED, null),
                "chargeDeclinedFraudulent",
                new CardDecline("card_declined", "fraudulent", DECLINED, null),
                "chargeDeclinedVelocityLimitExceeded",
                new CardDecline("card_declined", "card_velocity_exceeded",
                        "Your card was declined for making repeated attempts too frequently or exceeding its"
                                + " amount limit.", null),
                "chargeDeclinedExpiredCard",
                new CardDecline("expired_card", "expired_card", "Your card has expired.", "exp_month"),
                "chargeDeclinedIncorrectCvc",
                new CardDecline("incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect.", "cvc"),
                "chargeDeclinedProcessingError",
                new CardDecline("processing_error", "processing_error",
                        "An error occurred while processing your card. Try again in a little bit.", null));
        // Stripe documents both spellings: pm_card_chargeDeclined... and pm_card_visa_chargeDeclined...
        Map<String, CardDecline> byToken = new HashMap<>();
        bySuffix.forEach((suffix, decline) -> {
            byToken.put("pm_card_" + suffix, decline);
            byToken.put("pm_card_visa_" + suffix, decline);
        });
        return Map.copyOf(byToken);
    }
}
