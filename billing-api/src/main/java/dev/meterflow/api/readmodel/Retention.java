package dev.meterflow.api.readmodel;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which monthly partitions the read model keeps: the current month and the {@code months} before it, so at
 * least {@code months} whole months of history stay; an older month is dropped whole.
 */
public record Retention(int months) {

    private static final Pattern SUFFIX = Pattern.compile("_(\\d{4})_(\\d{2})$");
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy_MM");

    public Retention {
        if (months < 1) {
            throw new IllegalArgumentException("retention must be at least 1 month, was " + months);
        }
    }

    /** The oldest month kept on {@code today}. */
    public YearMonth oldestKept(LocalDate today) {
        return YearMonth.from(today).minusMonths(months);
    }

    public boolean keeps(LocalDate day, LocalDate today) {
        return !YearMonth.from(day).isBefore(oldestKept(today));
    }

    /** The partition of {@code table} holding {@code month}, e.g. {@code daily_usage_2026_11}. */
    public static String partitionName(String table, YearMonth month) {
        return table + "_" + month.format(NAME);
    }

    /** The month of a partition named by {@link #partitionName}, if the name is one. */
    public static Optional<YearMonth> monthOf(String partitionName) {
        Matcher matcher = SUFFIX.matcher(partitionName);
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(YearMonth.of(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))));
    }
}
