package dev.meterflow.metering.topology;

import dev.meterflow.metering.errors.DeadLetters;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.Usage;
import dev.meterflow.metering.tax.BilledToAgency;
import dev.meterflow.metering.tax.TaxLine;
import dev.meterflow.metering.tax.TaxOutcome;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts with taxable usage still to tax, per month ({@link StoreNames#TAXABLE_USAGE}): usage adds to its
 * month's line; the tax run reads the lines whose run has begun, in key order, a slice at a time, and removes
 * each one in the transaction that taxes it.
 *
 * <p>Keys are {@code <run yyyy-MM>|<usage yyyy-MM>|accountId}, so they sort by run and the run's lines come
 * first; an account id may hold any character, it is whatever follows the second separator.
 */
final class TaxableUsageIndex {

    /**
     * Sorts after every month (digits): the last month whose run has begun, as {@code YearMonth} months since 0, kept
     * as a bare long like the base of a line an account paid itself.
     */
    private static final String CLOSED_THROUGH = "~closed-through";
    private static final int MONTH_LENGTH = "yyyy-MM".length();
    private static final int MIN_YEAR = 1000;
    private static final int MAX_YEAR = 9999;
    private static final Logger log = LoggerFactory.getLogger(TaxableUsageIndex.class);

    private final KeyValueStore<String, TaxableBase> store;
    private final MeteringMetrics metrics;
    /**
     * {@link #closedThrough()} as stored, read once: every record asks it (issue 13, a store read per event), and
     * only this class writes it. The index is new on every task initialisation, so a rolled-back run is not kept.
     */
    private Optional<YearMonth> closedThrough;

    TaxableUsageIndex(ProcessorContext<String, Object> context, MeteringMetrics metrics) {
        this.store = context.getStateStore(StoreNames.TAXABLE_USAGE);
        this.metrics = metrics;
    }

    /**
     * Adds a debited event to its month's line when its sku is taxable. Usage of a month whose run has begun goes
     * to that month's line while it is not taxed yet, and otherwise to a late line of the next run.
     *
     * @param agency present when the usage is a sub-account's debited from its agency: the line stays keyed by the
     *               sub-account and keeps the agency and the profile of its latest usage
     */
    void add(Usage usage, String ratePlanId, long amountMicros, Function<String, Optional<RatePlan>> ratePlans,
             Optional<BilledToAgency> agency) {
        boolean taxable = ratePlans.apply(ratePlanId).map(plan -> plan.taxable(usage.sku())).orElse(false);
        if (!taxable || amountMicros <= 0) {
            return;
        }
        String accountId = usage.accountId();
        YearMonth month = YearMonth.from(Instant.ofEpochMilli(usage.occurredAtMillis()).atZone(ZoneOffset.UTC));
        if (month.getYear() < MIN_YEAR || month.getYear() > MAX_YEAR) {
            // keys hold four-digit years; such a date is a producer's bug, and guessing its month would be worse
            metrics.taxNotCharged(TaxOutcome.Reason.DATE_OUT_OF_RANGE.name());
            log.warn("taxable usage not indexed for tax reason=DATE_OUT_OF_RANGE account='{}' eventId='{}'"
                    + " occurredAt='{}'", DeadLetters.boundedKey(accountId),
                    DeadLetters.boundedKey(usage.eventId()), month);
            return;
        }
        Optional<YearMonth> closed = closedThrough();
        String key = key(month, month, accountId);
        TaxableBase base = store.get(key);
        if (base == null && closed.isPresent() && !month.isAfter(closed.get())) {
            key = key(closed.get().plusMonths(1), month, accountId);
            base = store.get(key);
        }
        long micros = Math.addExact(base == null ? 0 : base.micros(), amountMicros);
        store.put(key, new TaxableBase(micros, agency));
    }

    /** The last month whose run has begun, if any run has. */
    Optional<YearMonth> closedThrough() {
        if (closedThrough == null) {
            TaxableBase months = store.get(CLOSED_THROUGH);
            closedThrough = months == null ? Optional.empty()
                    : Optional.of(YearMonth.of(0, 1).plusMonths(months.micros()));
        }
        return closedThrough;
    }

    /** Begins the runs of every month up to {@code month}; {@code true} if that closed a month not closed before. */
    boolean closeThrough(YearMonth month) {
        Optional<YearMonth> closed = closedThrough();
        if (closed.isPresent() && !month.isAfter(closed.get())) {
            return false;
        }
        store.put(CLOSED_THROUGH, TaxableBase.of(month.getYear() * 12L + month.getMonthValue() - 1));
        closedThrough = Optional.of(month);
        return true;
    }

    /** Up to {@code max} lines whose run has begun, oldest run first. */
    List<TaxLine> due(int max) {
        Optional<YearMonth> closed = closedThrough();
        List<TaxLine> lines = new ArrayList<>();
        if (closed.isEmpty()) {
            return lines;
        }
        try (KeyValueIterator<String, TaxableBase> entries = store.all()) {
            while (entries.hasNext() && lines.size() < max) {
                KeyValue<String, TaxableBase> entry = entries.next();
                if (entry.key.equals(CLOSED_THROUGH)) {
                    break;
                }
                TaxLine line = line(entry.key, entry.value);
                if (line.runPeriod().isAfter(closed.get())) {
                    break;
                }
                lines.add(line);
            }
        }
        return lines;
    }

    void remove(TaxLine line) {
        store.delete(key(line.runPeriod(), line.period(), line.accountId()));
    }

    private static String key(YearMonth runPeriod, YearMonth period, String accountId) {
        return runPeriod + "|" + period + "|" + accountId;
    }

    private static TaxLine line(String key, TaxableBase base) {
        YearMonth runPeriod = YearMonth.parse(key.substring(0, MONTH_LENGTH));
        YearMonth period = YearMonth.parse(key.substring(MONTH_LENGTH + 1, 2 * MONTH_LENGTH + 1));
        return new TaxLine(key.substring(2 * MONTH_LENGTH + 2), period, runPeriod, base.micros(), base.agency());
    }
}
