package dev.meterflow.metering.topology;

import dev.meterflow.metering.errors.DeadLetters;
import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.Decision;
import dev.meterflow.metering.ledger.Ledger;
import dev.meterflow.metering.tax.TaxLine;
import dev.meterflow.metering.tax.TaxOutcome;
import dev.meterflow.metering.tax.TaxOutcome.NotTaxed;
import dev.meterflow.metering.tax.TaxOutcome.Reason;
import dev.meterflow.metering.tax.TaxProfile;
import dev.meterflow.metering.tax.TaxRun;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.TaxRate;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monthly sales tax run of one task (issue 10, §4). Once the task's time reaches a new month (UTC), the run
 * of the month before begins: by stream time, when a record of the new month arrives, and by a wall-clock
 * punctuation, so a task with no traffic is taxed too. Each call taxes one slice of {@link TaxableUsageIndex}'s
 * due lines and removes them in the same transaction, so a crash resumes where the last commit left off and a
 * line is never taxed twice; a line whose entry id was debited already (the dedup store) is only removed.
 */
final class MonthlyTaxRun {

    /**
     * A record stamped further ahead of the wall clock than this does not move the run: one producer's wrong clock
     * must not close months that are still going on.
     */
    static final Duration MAX_RECORD_TIME_AHEAD = Duration.ofHours(1);

    /**
     * The wall clock begins a month's run only this long after the month ended: usage stamped just before midnight
     * and still on its way is billed into its month's line, not into a late line a month later. A task with traffic
     * begins the run sooner, by its first record of the new month.
     */
    static final Duration WALL_CLOCK_GRACE = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(MonthlyTaxRun.class);

    private final ProcessorContext<String, Object> context;
    private final Ledger ledger;
    private final AccountStore accounts;
    private final Dedup dedup;
    private final DecisionWriter writer;
    private final MeteringMetrics metrics;
    private final TaxableUsageIndex index;
    private final KeyValueStore<String, TaxRate> taxRates;
    private final int sliceSize;

    MonthlyTaxRun(ProcessorContext<String, Object> context, Ledger ledger, AccountStore accounts, Dedup dedup,
                  DecisionWriter writer, MeteringMetrics metrics, TaxableUsageIndex index, int sliceSize) {
        this.context = context;
        this.ledger = ledger;
        this.accounts = accounts;
        this.dedup = dedup;
        this.writer = writer;
        this.metrics = metrics;
        this.index = index;
        this.taxRates = context.getStateStore(StoreNames.TAX_RATES);
        this.sliceSize = sliceSize;
    }

    /** Before a record is billed: the first record of a new month begins the run of the month before. */
    void onRecord(long recordTimestamp) {
        if (recordTimestamp > context.currentSystemTimeMs() + MAX_RECORD_TIME_AHEAD.toMillis()) {
            return;
        }
        if (index.closeThrough(monthOf(recordTimestamp).minusMonths(1))) {
            log.info("monthly tax run begins by stream time closedThrough='{}'", index.closedThrough().orElseThrow());
            taxSlice(recordTimestamp);
        }
    }

    /**
     * The wall-clock punctuation: begins the run of the month before if it has not begun and the grace has passed,
     * then taxes a slice.
     */
    void punctuate(long wallClockMillis) {
        if (index.closeThrough(monthOf(wallClockMillis - WALL_CLOCK_GRACE.toMillis()).minusMonths(1))) {
            log.info("monthly tax run begins by wall-clock time closedThrough='{}'",
                    index.closedThrough().orElseThrow());
        }
        taxSlice(wallClockMillis);
    }

    private void taxSlice(long now) {
        for (TaxLine line : index.due(sliceSize)) {
            tax(line, now);
            index.remove(line);
        }
    }

    private void tax(TaxLine line, long now) {
        String dedupKey = Dedup.key('t', line.accountId(), line.entryId());
        if (dedup.seen(dedupKey)) {
            metrics.duplicateTax();
            log.warn("tax line already debited, not again account='{}' entryId='{}'",
                    DeadLetters.boundedKey(line.accountId()), DeadLetters.boundedKey(line.entryId()));
            return;
        }
        // a sub-account's line is debited from its agency, whose settings are the billing settings
        AccountSettings payer = accounts.settingsRecord(line.payerId());
        Optional<TaxProfile> profile = TaxRun.profileFor(line, Optional.ofNullable(payer).map(AvroMapping::taxProfile));
        TaxOutcome outcome = TaxRun.assess(line, profile,
                jurisdiction -> Optional.ofNullable(taxRates.get(jurisdiction)).map(TaxRate::getRatePpm));
        if (outcome instanceof TaxOutcome.Taxed taxed) {
            debit(taxed, accounts.settings(line.payerId()), now);
            dedup.remember(dedupKey, line.entryId());
        } else {
            notTaxed((NotTaxed) outcome);
        }
    }

    private void debit(TaxOutcome.Taxed taxed, BillingSettings settings, long now) {
        TaxLine line = taxed.line();
        AccountState stored = accounts.stored(line.payerId());
        AccountState state = stored == null ? AccountState.opening() : stored;
        long dueAt = line.runPeriod().plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        Decision decision;
        try {
            decision = ledger.applyTax(state, settings, taxed, dueAt, now);
        } catch (ArithmeticException e) {
            notTaxed(new NotTaxed(line, Reason.BALANCE_OVERFLOW, "debiting " + taxed.taxMicros()
                    + " micros from balance " + state.balanceMicros() + " overflows"));
            return;
        }
        writer.apply(line.payerId(), now, stored, decision);
        metrics.taxCharged();
        log.info("tax debited account='{}' payer='{}' entryId='{}' period='{}' jurisdiction='{}' taxableBaseMicros={}"
                        + " ratePpm={} taxMicros={}", DeadLetters.boundedKey(line.accountId()),
                DeadLetters.boundedKey(line.payerId()), line.entryId(), line.period(), taxed.jurisdiction(),
                line.baseMicros(), taxed.ratePpm(), taxed.taxMicros());
    }

    /** One line per account and month: each index line is assessed once, then removed. */
    private void notTaxed(NotTaxed outcome) {
        metrics.taxNotCharged(outcome.reason().name());
        String message = "tax not charged reason={} account='{}' payer='{}' period='{}' taxableBaseMicros={}: {}";
        Object[] values = {outcome.reason(), DeadLetters.boundedKey(outcome.line().accountId()),
                DeadLetters.boundedKey(outcome.line().payerId()), outcome.line().period(),
                outcome.line().baseMicros(), outcome.detail()};
        if (outcome.reason() == Reason.EXEMPT || outcome.reason() == Reason.ROUNDS_TO_ZERO) {
            log.info(message, values);
        } else {
            // data someone must fix: an address or a rate missing, or a balance at its limit
            log.warn(message, values);
        }
    }

    private static YearMonth monthOf(long epochMillis) {
        return YearMonth.from(Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC));
    }
}
