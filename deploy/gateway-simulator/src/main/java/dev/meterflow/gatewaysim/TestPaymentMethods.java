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
 * <p>Beyond Stripe: a token with a {@code __} suffix behaves like the token before it
 * ({@code pm_card_chargeDeclinedStolenCard__acct-7} is a stolen card of its own), so that a test can give
 * every account its own cards and count what happened to each.
 */
final class TestPaymentMethods {

    private static final String DECLINED = "Your card was declined.";
    private static final String OWN_CARD_SUFFIX = "__";
    private static final Map<String, CardDecline> DECLINES = declines();

    private TestPaymentMethods() {
    }

    /** The decline this token always produces, or empty if it is charged successfully. */
    static Optional<CardDecline> declineFor(String paymentMethod) {
        int suffix = paymentMethod.indexOf(OWN_CARD_SUFFIX);
        String behavesLike = suffix < 0 ? paymentMethod : paymentMethod.substring(0, suffix);
        return Optional.ofNullable(DECLINES.get(behavesLike));
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
