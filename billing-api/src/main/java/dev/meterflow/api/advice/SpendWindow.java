package dev.meterflow.api.advice;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The spend of the {@value #DAYS} whole UTC days before {@code today}, one value per day (a day without usage
 * is 0), counted from the account's first day of usage when that is more recent: a new account's average is
 * not diluted by the days before it existed.
 */
public final class SpendWindow {

    public static final int DAYS = 30;

    private final LocalDate firstDay;
    private final long[] spend;

    private SpendWindow(LocalDate firstDay, long[] spend) {
        this.firstDay = firstDay;
        this.spend = spend;
    }

    /**
     * @param firstActivity the account's first day of usage, or null when it has none
     * @param days          spend per day; days outside the window are ignored, a day listed twice adds up
     */
    public static SpendWindow of(LocalDate today, LocalDate firstActivity, List<DaySpend> days) {
        LocalDate windowStart = today.minusDays(DAYS);
        LocalDate first = firstActivity == null || firstActivity.isBefore(windowStart) ? windowStart
                : firstActivity.isBefore(today) ? firstActivity : today.minusDays(1);
        long[] spend = new long[(int) ChronoUnit.DAYS.between(first, today)];
        for (DaySpend day : days) {
            if (!day.day().isBefore(first) && day.day().isBefore(today)) {
                int index = (int) ChronoUnit.DAYS.between(first, day.day());
                spend[index] = Math.addExact(spend[index], day.spendMicros());
            }
        }
        return new SpendWindow(first, spend);
    }

    public LocalDate firstDay() {
        return firstDay;
    }

    /** How many days the window counts (1 to {@value #DAYS}). */
    public int days() {
        return spend.length;
    }

    public long spendOn(int index) {
        return spend[index];
    }

    public LocalDate day(int index) {
        return firstDay.plusDays(index);
    }

    public long totalMicros() {
        long total = 0;
        for (long day : spend) {
            total = Math.addExact(total, day);
        }
        return total;
    }

    /** The average day, rounded down to a micro. */
    public long averageMicros() {
        return totalMicros() / days();
    }
}
