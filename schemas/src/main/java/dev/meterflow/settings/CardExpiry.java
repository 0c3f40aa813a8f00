package dev.meterflow.settings;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * A card's expiry month and year, as {@code PaymentMethodRef} carries them (both null when not known: a bank account,
 * or a card saved before expiries were kept). Pure: every part of Meterflow judges expiry the same way.
 */
public final class CardExpiry {

    private CardExpiry() {
    }

    /**
     * What is wrong with an expiry, for a person to read, or empty when it is possible: a month from 1 to 12 and a
     * four-digit year, or neither. An expiry in the past is possible (the card is expired, not malformed).
     */
    public static Optional<String> problem(Integer month, Integer year) {
        if (month == null && year == null) {
            return Optional.empty();
        }
        if (month == null || year == null) {
            return Optional.of("A card's expiry needs both its month and its year.");
        }
        if (month < 1 || month > 12) {
            return Optional.of("The expiry month " + month + " is not a month: it must be 1 to 12.");
        }
        if (year < 1000 || year > 9999) {
            return Optional.of("The expiry year " + year + " must have four digits, like 2028.");
        }
        return Optional.empty();
    }

    /**
     * Whether a card with this expiry is expired at {@code atMillis}: cards are valid through the last day of their
     * expiry month, taken in UTC. An unknown or malformed expiry is not expired: the gateway decides.
     */
    public static boolean expiredAt(Integer month, Integer year, long atMillis) {
        if (problem(month, year).isPresent() || month == null) {
            return false;
        }
        YearMonth now = YearMonth.from(Instant.ofEpochMilli(atMillis).atOffset(ZoneOffset.UTC));
        return YearMonth.of(year, month).isBefore(now);
    }
}
