package dev.meterflow.api.notify;

import dev.meterflow.api.statements.StatementPeriod;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Optional;

/** How often a scheduled statement is sent, and which period it covers on the UTC day it is due. */
public enum Cadence {
    /** On the 1st, the month before. */
    MONTHLY,
    /** On Mondays, the Monday-to-Sunday week before. */
    WEEKLY;

    /** The period due on {@code today}, or empty when today is not this cadence's day. */
    public Optional<StatementPeriod> periodDueOn(LocalDate today) {
        return switch (this) {
            case MONTHLY -> today.getDayOfMonth() != 1 ? Optional.empty() : Optional.of(month(today.minusMonths(1)));
            case WEEKLY -> today.getDayOfWeek() != DayOfWeek.MONDAY ? Optional.empty()
                    : Optional.of(new StatementPeriod(today.minusWeeks(1), today.minusDays(1)));
        };
    }

    private static StatementPeriod month(LocalDate day) {
        YearMonth month = YearMonth.from(day);
        return new StatementPeriod(month.atDay(1), month.atEndOfMonth());
    }
}
