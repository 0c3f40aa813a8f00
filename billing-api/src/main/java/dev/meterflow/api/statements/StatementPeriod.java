package dev.meterflow.api.statements;

import dev.meterflow.api.ApiException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** The UTC days a statement covers, both ends included: at least one day, at most {@value #MAX_DAYS}. */
public record StatementPeriod(LocalDate from, LocalDate to) {

    /** Two years (a leap day included). */
    public static final int MAX_DAYS = 731;

    public StatementPeriod {
        if (to.isBefore(from)) {
            throw ApiException.badRequest("reversed_range", "The statement ends (" + to + ") before it starts (" + from
                    + "); swap from and to.");
        }
        if (days(from, to) > MAX_DAYS) {
            throw ApiException.badRequest("range_too_long", "A statement covers at most " + MAX_DAYS + " days (two"
                    + " years); ask for " + from + " to " + from.plusDays(MAX_DAYS - 1) + " or split the range.");
        }
    }

    /** Both ends as {@code yyyy-mm-dd}, both required. */
    public static StatementPeriod parse(String from, String to) {
        return new StatementPeriod(day("from", from), day("to", to));
    }

    public long days() {
        return days(from, to);
    }

    public boolean contains(LocalDate day) {
        return !day.isBefore(from) && !day.isAfter(to);
    }

    private static long days(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    private static LocalDate day(String name, String text) {
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("missing_" + name, "Say which days the statement covers: " + name
                    + "=yyyy-mm-dd (UTC) is missing.");
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("bad_date", name + " must be a day as yyyy-mm-dd (UTC), was '" + text + "'.");
        }
    }
}
