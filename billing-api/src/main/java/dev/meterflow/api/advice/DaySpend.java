package dev.meterflow.api.advice;

import java.time.LocalDate;

/** What an account's usage cost on one UTC day, in micros (a positive amount). */
public record DaySpend(LocalDate day, long spendMicros) {
}
