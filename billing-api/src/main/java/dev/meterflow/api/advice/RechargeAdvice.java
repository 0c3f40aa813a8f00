package dev.meterflow.api.advice;

import dev.meterflow.money.Money;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * Recharge advice (billing rules: look at the last 30 days and set the recharge so the card is charged about
 * once a month). Pure: the daily spend, the balance and the settings in, the advice out.
 */
public final class RechargeAdvice {

    public static final int WINDOW_DAYS = 30;
    /** Days of spend the recommended threshold keeps in hand while a charge is made or a decline is retried. */
    public static final int BUFFER_DAYS = 7;
    /** From two weeks of history each weekday has been seen twice: enough to follow the week's pattern. */
    public static final int WEEKDAY_PATTERN_MIN_DAYS = 14;
    public static final long MAX_RECOMMENDATION_MICROS = 10_000L * Money.MICROS_PER_DOLLAR;
    private static final long MIN_THRESHOLD_MICROS = 5 * Money.MICROS_PER_DOLLAR;
    private static final int RUNWAY_HORIZON_DAYS = 366;

    private RechargeAdvice() {
    }

    /**
     * @param dailySpendMicros spend per UTC day of the window (yesterday and the 29 days before); days without
     *                         usage may be missing; the average counts from the first day with spend
     * @param chargesLast30Days automatic recharges that succeeded in the window
     */
    public static Advice advise(LocalDate today, SortedMap<LocalDate, Long> dailySpendMicros, long balanceMicros,
                                long thresholdMicros, int chargesLast30Days) {
        LocalDate windowStart = today.minusDays(WINDOW_DAYS);
        SortedMap<LocalDate, Long> window = dailySpendMicros.subMap(windowStart, today);
        if (window.values().stream().allMatch(spend -> spend <= 0)) {
            return new Advice(0, chargesLast30Days, MIN_THRESHOLD_MICROS, MIN_THRESHOLD_MICROS, null, null,
                    "There was no usage in the last 30 days, so any recharge setting charges the card rarely.");
        }
        long days = window.firstKey().until(today).getDays();
        long total = window.values().stream().mapToLong(Long::longValue).reduce(0, Money::add);
        long average = Money.ceilDiv(total, days);
        long threshold = clamp(wholeDollarsUp(Money.multiply(average, BUFFER_DAYS)), MIN_THRESHOLD_MICROS);
        long recharge = clamp(wholeDollarsUp(Money.multiply(average, WINDOW_DAYS)), Money.MICROS_PER_DOLLAR);
        Map<DayOfWeek, Long> pattern = days >= WEEKDAY_PATTERN_MIN_DAYS ? weekdayAverages(window, today, days) : null;
        LocalDate belowThreshold = firstDayUnder(today, balanceMicros, thresholdMicros, average, pattern);
        LocalDate zero = firstDayUnder(today, balanceMicros, 0, average, pattern);
        String sentence = "You spent about " + Money.format(wholeCentsUp(average)) + " a day over the last " + days
                + " days; a threshold of " + Money.format(threshold) + " and a recharge of " + Money.format(recharge)
                + " would charge your card about once every 30 days"
                + (chargesLast30Days == 0 ? "." : " (your settings charged it " + chargesLast30Days + " time"
                + (chargesLast30Days == 1 ? "" : "s") + " in the last 30 days).");
        return new Advice(average, chargesLast30Days, threshold, recharge, belowThreshold, zero, sentence);
    }

    private static Map<DayOfWeek, Long> weekdayAverages(SortedMap<LocalDate, Long> window, LocalDate today,
                                                        long days) {
        Map<DayOfWeek, Long> totals = new EnumMap<>(DayOfWeek.class);
        Map<DayOfWeek, Long> counts = new EnumMap<>(DayOfWeek.class);
        for (LocalDate day = today.minusDays(days); day.isBefore(today); day = day.plusDays(1)) {
            totals.merge(day.getDayOfWeek(), window.getOrDefault(day, 0L), Money::add);
            counts.merge(day.getDayOfWeek(), 1L, Long::sum);
        }
        Map<DayOfWeek, Long> averages = new EnumMap<>(DayOfWeek.class);
        totals.forEach((weekday, sum) -> averages.put(weekday, Money.ceilDiv(sum, counts.get(weekday))));
        return averages;
    }

    /** The first day (from today) the balance ends under {@code floor} without a recharge; null past a year. */
    private static LocalDate firstDayUnder(LocalDate today, long balanceMicros, long floorMicros, long average,
                                           Map<DayOfWeek, Long> pattern) {
        long balance = balanceMicros;
        for (int i = 0; i < RUNWAY_HORIZON_DAYS; i++) {
            LocalDate day = today.plusDays(i);
            if (balance < floorMicros) {
                return day;
            }
            balance = Money.subtract(balance, pattern == null ? average : pattern.get(day.getDayOfWeek()));
        }
        return null;
    }

    private static long wholeDollarsUp(long micros) {
        return Money.multiply(Money.ceilDiv(micros, Money.MICROS_PER_DOLLAR), Money.MICROS_PER_DOLLAR);
    }

    private static long wholeCentsUp(long micros) {
        return Money.centsToMicros(Money.toCentsRoundingUp(micros));
    }

    private static long clamp(long micros, long min) {
        return Math.min(Math.max(micros, min), MAX_RECOMMENDATION_MICROS);
    }

    /**
     * @param recommendedRechargeMicros the amount of each charge (FIXED_AMOUNT); for TOP_UP_TO_TARGET the target
     *                                  is the threshold plus this
     * @param belowThresholdOn          the day the balance falls under the current threshold at the recent
     *                                  spend; null when not within a year
     * @param zeroOn                    the day it would fall under zero without a recharge; null likewise
     */
    public record Advice(long averageDailySpendMicros, int chargesLast30Days, long recommendedThresholdMicros,
                         long recommendedRechargeMicros, LocalDate belowThresholdOn, LocalDate zeroOn,
                         String explanation) {
    }
}
