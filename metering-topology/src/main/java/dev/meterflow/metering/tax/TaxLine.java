package dev.meterflow.metering.tax;

import java.time.YearMonth;

/**
 * One line of a monthly tax run: an account's taxable usage of one month, taxed in the run of {@code runPeriod}.
 * A regular line has {@code period == runPeriod}; a late line carries usage of an earlier month that arrived once
 * that month's line had been taxed, and names that month.
 *
 * @param period     the month (UTC, by the events' {@code occurredAt}) the usage belongs to
 * @param runPeriod  the month whose run taxes it (the run happens on the 1st of the month after)
 * @param baseMicros the taxable usage debited, at least 0
 */
public record TaxLine(String accountId, YearMonth period, YearMonth runPeriod, long baseMicros) {

    public TaxLine {
        if (period.isAfter(runPeriod)) {
            throw new IllegalArgumentException("usage of " + period + " cannot be taxed in the run of " + runPeriod);
        }
    }

    public boolean late() {
        return !period.equals(runPeriod);
    }

    /** {@code tax:<account>:<yyyy-MM>}, or {@code tax:<account>:<yyyy-MM>:late:<run yyyy-MM>} for a late line. */
    public String entryId() {
        String regular = "tax:" + accountId + ":" + period;
        return late() ? regular + ":late:" + runPeriod : regular;
    }
}
