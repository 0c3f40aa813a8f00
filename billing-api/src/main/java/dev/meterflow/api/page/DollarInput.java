package dev.meterflow.api.page;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A dollar amount as a person types it in a form field ("25", "$1,250.50"), read as whole cents. */
public final class DollarInput {

    private static final Pattern AMOUNT = Pattern.compile("\\$?\\s*(\\d{1,3}(?:,\\d{3})+|\\d{1,9})(?:\\.(\\d{1,2}))?");

    private DollarInput() {
    }

    /** The cents, or empty when the text is not a dollar amount (blank, negative, letters, three decimals). */
    public static Optional<Long> cents(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = AMOUNT.matcher(text.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long dollars = Long.parseLong(matcher.group(1).replace(",", ""));
        String fraction = matcher.group(2) == null ? "0" : matcher.group(2);
        long cents = Long.parseLong(fraction.length() == 1 ? fraction + "0" : fraction);
        return Optional.of(dollars * 100 + cents);
    }

    /** What a field says when {@link #cents} is empty. */
    public static String problem(String label) {
        return label + " must be a dollar amount such as 25 or 25.50.";
    }

    /** Cents as the field shows them again: "25" or "25.50", no sign, no separators. */
    public static String text(long cents) {
        return cents % 100 == 0 ? Long.toString(cents / 100) : String.format("%d.%02d", cents / 100, cents % 100);
    }
}
