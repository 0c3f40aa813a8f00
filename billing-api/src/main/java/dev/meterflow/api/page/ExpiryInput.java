package dev.meterflow.api.page;

import dev.meterflow.settings.CardExpiry;
import java.time.YearMonth;
import java.util.Optional;

/**
 * A card's expiry as a person types it in the add form: a month ("3" or "03") and a year ("2029", or "29" for
 * 2029), both or neither. The pipeline keeps an expired card (its issuer may renew it); a card added by hand that
 * has already expired is a typing mistake, so the form refuses it. A bank account has no expiry.
 *
 * @param month   1 to 12, null when none was typed
 * @param year    four digits, null when none was typed
 * @param problem what to say next to the expiry fields, or null when it can be saved
 */
record ExpiryInput(Integer month, Integer year, String problem) {

    private static final ExpiryInput NONE = new ExpiryInput(null, null, null);

    /** @param thisMonth the month it is now (UTC): a card is valid through the end of its expiry month */
    static ExpiryInput of(String monthText, String yearText, boolean bankAccount, YearMonth thisMonth) {
        String monthTyped = monthText == null ? "" : monthText.strip();
        String yearTyped = yearText == null ? "" : yearText.strip();
        if (monthTyped.isEmpty() && yearTyped.isEmpty()) {
            return NONE;
        }
        if (bankAccount) {
            return refused("A bank account has no expiry: leave the month and year empty.");
        }
        if (monthTyped.isEmpty() || yearTyped.isEmpty()) {
            return refused("Enter both the expiry month and year, or neither.");
        }
        if (!monthTyped.matches("\\d{1,2}")) {
            return refused("The expiry month must be a number from 1 to 12, such as 03.");
        }
        if (!yearTyped.matches("\\d{2}|\\d{4}")) {
            return refused("The expiry year must be a year such as 2029.");
        }
        int month = Integer.parseInt(monthTyped);
        int year = Integer.parseInt(yearTyped) + (yearTyped.length() == 2 ? 2000 : 0);
        Optional<String> impossible = CardExpiry.problem(month, year);
        if (impossible.isPresent()) {
            return refused(impossible.get());
        }
        if (YearMonth.of(year, month).isBefore(thisMonth)) {
            return refused(String.format("This card expired at the end of %02d/%d: add a card that is still valid.",
                    month, year));
        }
        return new ExpiryInput(month, year, null);
    }

    private static ExpiryInput refused(String problem) {
        return new ExpiryInput(null, null, problem);
    }
}
