package dev.meterflow.metering.topology;

import dev.meterflow.metering.errors.DeadLetters;
import dev.meterflow.metering.ledger.Ledger;
import dev.meterflow.metering.payments.PaymentCommandRules;
import dev.meterflow.metering.state.AgencyRecord;
import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.schemas.UsageRollup;
import dev.meterflow.topics.Topics;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The one writer of every billing account's balance (DESIGN.md decision 2). Usage, settings, payment results
 * and payment commands arrive here co-partitioned by account id (and what a sub-account's partition sends its
 * agency, through the internal agency-billing repartition topic, keyed by the agency), and each goes to its own
 * handler, which reads the account's
 * state, asks the pure {@link Ledger} for a decision, stores the new state and forwards the decision's records.
 * Threshold and pause decisions are therefore made at the moment of the debit or credit, never downstream of a
 * cache. The monthly tax run ({@link MonthlyTaxRun}) debits through the same writer, before the first record of a
 * new month is billed and on a wall-clock punctuation.
 */
final class BillingProcessor implements Processor<String, Object, String, Object> {

    private final Ledger ledger;
    private final BillingLimits limits;
    private final RatePlanCache ratePlans;

    private ProcessorContext<String, Object> context;
    private MeteringMetrics metrics;
    private UsageHandler usage;
    private SettingsHandler settings;
    private PaymentResultHandler paymentResults;
    private PaymentCommandHandler paymentCommands;
    private AgencyHandler agencyRecords;
    private MonthlyTaxRun taxRun;

    BillingProcessor(Ledger ledger, BillingLimits limits, RatePlanCache ratePlans) {
        this.ledger = ledger;
        this.limits = limits;
        this.ratePlans = ratePlans;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.metrics = new MeteringMetrics(context.metrics(), context.taskId());
        // new on every init: a task re-initialised after an aborted transaction must not keep what it rolled back
        AccountStore accounts = new AccountStore(context);
        Dedup dedup = new Dedup(context, limits.dedupRetention());
        PendingRecharges pendingRecharges = new PendingRecharges(context, accounts, metrics, limits.pendingTimeout());
        AgencyMembers agencyMembers = new AgencyMembers(context);
        DecisionWriter writer = new DecisionWriter(context, accounts, pendingRecharges, agencyMembers);
        Parking parking = new Parking(context);
        AgencyRouting agencyRouting = new AgencyRouting(context, metrics);
        TaxableUsageIndex taxableUsage = new TaxableUsageIndex(context, metrics);
        UsageDebit usageDebit = new UsageDebit(context, ledger, limits, ratePlans, accounts, dedup, writer, parking,
                metrics, taxableUsage);
        this.usage = new UsageHandler(context, ratePlans, accounts, usageDebit, agencyRouting);
        this.agencyRecords = new AgencyHandler(context, ratePlans, accounts, agencyMembers, usageDebit, writer);
        this.settings = new SettingsHandler(ledger, accounts, writer,
                new SettingsGate(limits.maxRechargeMicros(), parking, metrics), agencyRouting);
        this.paymentResults = new PaymentResultHandler(ledger, accounts, dedup, writer, parking, metrics,
                usageDebit);
        this.paymentCommands = new PaymentCommandHandler(ledger, new PaymentCommandRules(
                Money.toCentsRoundingUp(limits.maxPaymentMicros())), accounts, dedup, writer, parking, metrics);
        // the balances and the daily rollups leave once per key per commit, when their stores' caches are flushed
        BalancePublisher.register(context);
        CommitEmitter.<UsageRollup>onFlushLatest(context, StoreNames.USAGE_ROLLUPS, (key, after, timestamp) ->
                context.forward(new Record<>(key, after, timestamp), MeteringTopology.ROLLUPS_SINK));
        BackoffRetry backoffRetry = new BackoffRetry(ledger, accounts, writer);
        context.schedule(limits.backoffCheckInterval(), PunctuationType.WALL_CLOCK_TIME, backoffRetry::run);
        context.schedule(limits.backoffCheckInterval(), PunctuationType.WALL_CLOCK_TIME,
                pendingRecharges::reportOverdue);
        this.taxRun = new MonthlyTaxRun(context, ledger, accounts, dedup, writer, metrics, taxableUsage,
                limits.taxRunSliceSize());
        context.schedule(limits.taxRunInterval(), PunctuationType.WALL_CLOCK_TIME, taxRun::punctuate);
    }

    @Override
    public void process(Record<String, Object> record) {
        // first: the first record of a new month must find last month's usage closed for tax, not add to it
        taxRun.onRecord(record.timestamp());
        Object value = record.value();
        if (value instanceof UsageEvent event) {
            usage.handle(record, event);
        } else if (value instanceof AccountSettings accountSettings) {
            settings.handle(record, accountSettings);
        } else if (value instanceof PaymentResult result) {
            paymentResults.handle(record, result);
        } else if (value instanceof PaymentCommand command) {
            paymentCommands.handle(record, command);
        } else if (value instanceof AgencyRecord routed) {
            agencyRecords.handle(record, routed);
        } else if (value == null && Topics.ACCOUNT_SETTINGS.name().equals(sourceTopic())) {
            settings.delete(record);
        } else {
            // a tombstone on a delete topic, or a type no source produces: the processing exception
            // handler sends the record to metering-dlq with this message in its headers
            throw new IllegalArgumentException("cannot bill a record with value " + describe(value) + " from "
                    + sourceTopic() + " key='" + DeadLetters.boundedKey(record.key()) + "'");
        }
    }

    private String sourceTopic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse("an unknown topic");
    }

    private static String describe(Object value) {
        return value == null ? "null" : "of type " + value.getClass().getName();
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }
}
