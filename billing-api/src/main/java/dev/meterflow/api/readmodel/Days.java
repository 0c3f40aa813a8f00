package dev.meterflow.api.readmodel;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Usage dates and times are UTC (billing rules). */
final class Days {

    private Days() {
    }

    static LocalDate utc(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
