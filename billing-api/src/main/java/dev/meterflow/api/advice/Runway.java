package dev.meterflow.api.advice;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The runway, a pure function: at the recent spend, the first UTC day whose end balance is below the threshold,
 * and the first whose end balance is zero or less, without any recharge. Today counts as a whole day of spend.
 * With at least {@value #PATTERN_DAYS} days of history each weekday spends its own average (a business that is
 * quiet at weekends lasts longer); otherwise every day spends the window's average.
 */
public final class Runway {

    static final int PATTERN_DAYS = 28;
    /** Beyond this the runway is "not at this rate" rather than a date years away. */
    static final int HORIZON_DAYS = 5 * 366;

    private Runway() {
    }

    public static Forecast forecast(LocalDate today, long balanceMicros, long thresholdMicros, SpendWindow window) {
        boolean pattern = window.days() >= PATTERN_DAYS;
        long[] byWeekday = pattern ? weekdayAverages(window) : flat(window.averageMicros());
        LocalDate belowThreshold = null;
        LocalDate zero = null;
        long balance = balanceMicros;
        for (int ahead = 0; ahead <= HORIZON_DAYS && zero == null; ahead++) {
            LocalDate day = today.plusDays(ahead);
            balance = Math.subtractExact(balance, byWeekday[day.getDayOfWeek().getValue() - 1]);
            if (belowThreshold == null && balance < thresholdMicros) {
                belowThreshold = day;
            }
            if (balance <= 0) {
                zero = day;
            }
        }
        return new Forecast(Optional.ofNullable(belowThreshold), Optional.ofNullable(zero), pattern);
    }

    /** Each weekday's average over its days in the window, rounded down to a micro. */
    static long[] weekdayAverages(SpendWindow window) {
        long[] sums = new long[7];
        int[] counts = new int[7];
        for (int index = 0; index < window.days(); index++) {
            int weekday = window.day(index).getDayOfWeek().getValue() - 1;
            sums[weekday] = Math.addExact(sums[weekday], window.spendOn(index));
            counts[weekday]++;
        }
        long[] averages = new long[7];
        for (DayOfWeek weekday : DayOfWeek.values()) {
            int i = weekday.getValue() - 1;
            averages[i] = counts[i] == 0 ? 0 : sums[i] / counts[i];
        }
        return averages;
    }

    private static long[] flat(long average) {
        long[] days = new long[7];
        java.util.Arrays.fill(days, average);
        return days;
    }

    /**
     * @param belowThreshold the first day ending below the threshold, empty when not within the horizon
     * @param zero           the first day ending at zero or less, empty when not within the horizon
     * @param weekdayPattern whether each weekday's own average was used
     */
    public record Forecast(Optional<LocalDate> belowThreshold, Optional<LocalDate> zero, boolean weekdayPattern) {
    }
}
