package dev.meterflow.settings;

/**
 * Why a settings change was refused: a stable {@code reason} code for programs and a {@code message} the
 * Billing Settings page can show as it is.
 */
public record SettingsRefusal(Reason reason, String message) {

    public enum Reason {
        BLANK_ID,
        ID_TOO_LONG,
        TOO_MANY_EMAILS,
        INVALID_EMAIL,
        INVALID_PHONE,
        TOO_MANY_PAYMENT_METHODS,
        INVALID_PAYMENT_METHOD,
        REFUSED_BRAND,
        NEGATIVE_THRESHOLD,
        THRESHOLD_ABOVE_TARGET,
        AMOUNT_NOT_POSITIVE,
        AMOUNT_ABOVE_LIMIT,
        NO_USABLE_PAYMENT_METHOD
    }
}
