package dev.meterflow.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** A range of whole UTC days, both ends included, of at most {@link #MAX_DAYS} days. */
public record DateRange(LocalDate from, LocalDate to) {

    /** Two years: the read model keeps 25 months. */
    public static final long MAX_DAYS = 731;

    /** Parses {@code yyyy-mm-dd} ends; a missing end is open (the earliest or latest day kept). */
    public static DateRange parse(String fromText, String toText) {
        LocalDate from = day("from", fromText, LocalDate.of(1970, 1, 1));
        LocalDate to = day("to", toText, LocalDate.of(9999, 12, 31));
        if (to.isBefore(from)) {
            throw ApiException.badRequest("reversed_range", "The range ends (" + to + ") before it starts (" + from
                    + "); swap from and to.");
        }
        if (fromText != null && toText != null && ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
            throw ApiException.badRequest("range_too_long", "A range may cover at most " + MAX_DAYS
                    + " days (two years); ask for " + from + " to " + from.plusDays(MAX_DAYS - 1) + " or less.");
        }
        return new DateRange(from, to);
    }

    public Instant startInclusive() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Instant endExclusive() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static LocalDate day(String name, String text, LocalDate open) {
        if (text == null || text.isBlank()) {
            return open;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("bad_date", name + " must be a day as yyyy-mm-dd (UTC), was '" + text + "'.");
        }
    }
}
