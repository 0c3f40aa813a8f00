package dev.meterflow.api.payments;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The reason of a failed charge in words an account admin can act on, from the gateway's decline codes. */
public final class DeclineReasons {

    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("insufficient_funds", "the card has insufficient funds"),
            Map.entry("card_declined", "the card was declined by its bank"),
            Map.entry("generic_decline", "the card was declined by its bank"),
            Map.entry("do_not_honor", "the card was declined by its bank"),
            Map.entry("expired_card", "the card has expired"),
            Map.entry("incorrect_cvc", "the card's security code was wrong"),
            Map.entry("incorrect_number", "the card number is not valid"),
            Map.entry("lost_card", "the card was reported lost"),
            Map.entry("stolen_card", "the card was reported stolen"),
            Map.entry("fraudulent", "the bank suspects fraud"),
            Map.entry("pickup_card", "the bank asked for the card to be retained"),
            Map.entry("processing_error", "the payment processor had an error"),
            Map.entry("authentication_required", "the bank asks the cardholder to authenticate the charge"),
            Map.entry("card_velocity_exceeded", "the card's spending limit was reached"),
            Map.entry("retry_limit_reached", "the card was declined too often recently and was not tried again"));

    private DeclineReasons() {
    }

    /** One sentence for a declined or failed charge, e.g. "Declined: the card has insufficient funds." */
    public static String describe(String status, List<String> declineCodes) {
        if (declineCodes.isEmpty()) {
            return "FAILED".equals(status)
                    ? "Failed: the payment gateway could not complete the charge; no money was taken."
                    : "Declined by the card's bank, without a reason.";
        }
        String reasons = declineCodes.stream().distinct()
                .map(code -> WORDS.getOrDefault(code, "the bank's code '" + code + "'"))
                .distinct().collect(Collectors.joining("; then "));
        return ("FAILED".equals(status) ? "Failed: " : "Declined: ") + reasons + ".";
    }
}
