package dev.meterflow.metering.tax;

import java.time.YearMonth;
import java.util.Optional;

/**
 * One line of a monthly tax run: an account's taxable usage of one month, taxed in the run of {@code runPeriod}.
 * A regular line has {@code period == runPeriod}; a late line carries usage of an earlier month that arrived once
 * that month's line had been taxed, and names that month.
 *
 * @param period     the month (UTC, by the events' {@code occurredAt}) the usage belongs to
 * @param runPeriod  the month whose run taxes it (the run happens on the 1st of the month after)
 * @param baseMicros the taxable usage debited, at least 0
 * @param agency     present when the account is a sub-account whose usage its agency paid
 */
public record TaxLine(String accountId, YearMonth period, YearMonth runPeriod, long baseMicros,
                      Optional<BilledToAgency> agency) {

    public TaxLine {
        if (period.isAfter(runPeriod)) {
            throw new IllegalArgumentException("usage of " + period + " cannot be taxed in the run of " + runPeriod);
        }
    }

    /** A line of usage the account paid itself. */
    public TaxLine(String accountId, YearMonth period, YearMonth runPeriod, long baseMicros) {
        this(accountId, period, runPeriod, baseMicros, Optional.empty());
    }

    /** The account whose balance the tax is debited from: the agency of a sub-account, or the account itself. */
    public String payerId() {
        return agency.map(BilledToAgency::agencyId).orElse(accountId);
    }

    public boolean late() {
        return !period.equals(runPeriod);
    }

    /**
     * {@code tax:<account>:<yyyy-MM>}, with {@code :via:<agency>} when an agency paid the usage, and
     * {@code :late:<run yyyy-MM>} for a late line. The payer is part of the id because a sub-account moved to another
     * agency within a month has a line in each agency's task: each must post an entry of its own.
     */
    public String entryId() {
        String regular = "tax:" + accountId + ":" + period + agency.map(paid -> ":via:" + paid.agencyId()).orElse("");
        return late() ? regular + ":late:" + runPeriod : regular;
    }
}
