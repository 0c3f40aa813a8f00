package dev.meterflow.metering.topology;

import dev.meterflow.metering.errors.DeadLetters;
import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.Decision;
import dev.meterflow.metering.ledger.Effect;
import dev.meterflow.metering.ledger.Ledger;
import dev.meterflow.metering.ledger.Posting;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.UnpricedReason;
import dev.meterflow.metering.pricing.Usage;
import dev.meterflow.metering.pricing.UsagePricer;
import dev.meterflow.metering.state.AccountStateRecord;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.schemas.UsageRollup;
import dev.meterflow.money.Money;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of every billing account's balance (DESIGN.md decision 2). Usage, settings and payment
 * results arrive here co-partitioned by account id; the processor reads the account's state, asks the pure
 * {@link Ledger} for a decision, stores the new state and forwards the decision's records. Threshold and
 * pause decisions are therefore made at the moment of the debit or credit, never downstream of a cache.
 */
final class BillingProcessor implements Processor<String, Object, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(BillingProcessor.class);
    private static final char SEPARATOR = '\u001f';
    private static final int SETTINGS_CACHE_SIZE = 10_000;

    private final Ledger ledger;
    private final BillingLimits limits;
    private final RatePlanCache ratePlans;
    /** Decoded settings of recently billed accounts: every write goes through this processor, which updates it. */
    private final Map<String, BillingSettings> settingsCache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BillingSettings> eldest) {
            return size() > SETTINGS_CACHE_SIZE;
        }
    };

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, AccountStateRecord> states;
    private KeyValueStore<String, AccountSettings> settingsStore;
    private WindowStore<String, String> dedup;
    private KeyValueStore<String, UsageRollup> rollups;
    private KeyValueStore<String, RateCard> rateCards;
    private MeteringMetrics metrics;
    private Parking parking;
    private SettingsGate settingsGate;

    BillingProcessor(Ledger ledger, BillingLimits limits, RatePlanCache ratePlans) {
        this.ledger = ledger;
        this.limits = limits;
        this.ratePlans = ratePlans;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.states = context.getStateStore(StoreNames.ACCOUNT_STATE);
        this.settingsStore = context.getStateStore(StoreNames.ACCOUNT_SETTINGS);
        this.dedup = context.getStateStore(StoreNames.DEDUP);
        this.rollups = context.getStateStore(StoreNames.USAGE_ROLLUPS);
        this.rateCards = context.getStateStore(StoreNames.RATE_CARDS);
        this.metrics = new MeteringMetrics(context.metrics(), context.taskId());
        this.parking = new Parking(context);
        this.settingsGate = new SettingsGate(limits.maxRechargeMicros(), parking, metrics);
        // a task re-initialised after an aborted transaction must not keep settings the abort rolled back
        settingsCache.clear();
        context.schedule(limits.backoffCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::retryAfterBackoffs);
    }

    /**
     * Asks for the recharges whose decline back-off has passed without any record for the account arriving
     * (a paused account sends no usage). Scans the task's accounts; candidates first, then changes.
     */
    private void retryAfterBackoffs(long now) {
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, AccountStateRecord> all = states.all()) {
            all.forEachRemaining(entry -> {
                AccountStateRecord state = entry.value;
                if (state.getBackoffNotBefore() != null && state.getBackoffNotBefore() <= now
                        && state.getPendingRequestId() == null) {
                    due.add(entry.key);
                }
            });
        }
        for (String accountId : due) {
            BillingSettings settings = settings(accountId);
            if (settings == null) {
                continue;
            }
            AccountState state = AvroMapping.state(states.get(accountId));
            apply(accountId, now, state, ledger.retryAfterBackoff(state, settings, now));
        }
    }

    @Override
    public void process(Record<String, Object> record) {
        Object value = record.value();
        if (value instanceof UsageEvent usage) {
            onUsage(record, usage);
        } else if (value instanceof AccountSettings settings) {
            onSettings(record, settings);
        } else if (value instanceof PaymentResult result) {
            onPaymentResult(record, result);
        } else if (value == null && Topics.ACCOUNT_SETTINGS.name().equals(sourceTopic())) {
            settingsStore.delete(record.key());
            settingsCache.remove(record.key());
            log.info("settings deleted account='{}'", record.key());
        } else {
            // a tombstone on a delete topic, or a type no source produces: the processing exception
            // handler sends the record to metering-dlq with this message in its headers
            throw new IllegalArgumentException("cannot bill a record with value " + describe(value) + " from "
                    + sourceTopic() + " key='" + DeadLetters.boundedKey(record.key()) + "'");
        }
    }

    private void onUsage(Record<String, Object> record, UsageEvent event) {
        Usage usage = AvroMapping.usage(event);
        Optional<PricingOutcome.Unpriced> invalid = UsagePricer.validate(record.key(), usage);
        if (invalid.isPresent()) {
            park(record, event, invalid.get().reason(), invalid.get().detail());
            return;
        }
        // before pricing: a duplicate of a debited event must never be parked, or a later replay could debit
        // it again once its first copy has left the dedup horizon
        String dedupKey = dedupKey('u', record.key(), event.getEventId());
        if (seen(dedupKey)) {
            metrics.duplicateUsage();
            log.debug("duplicate usage skipped account='{}' eventId='{}'", record.key(), event.getEventId());
            return;
        }
        BillingSettings settings = settings(record.key());
        PricingOutcome outcome = UsagePricer.capped(UsagePricer.price(record.key(), usage, settings, this::ratePlan),
                limits.maxUsageAmountMicros());
        if (outcome instanceof PricingOutcome.Unpriced unpriced) {
            park(record, event, unpriced.reason(), unpriced.detail());
            return;
        }
        PricingOutcome.Priced priced = (PricingOutcome.Priced) outcome;
        AccountState state = load(record.key());
        Decision decision;
        try {
            decision = ledger.applyUsage(state, settings, priced, record.timestamp());
        } catch (ArithmeticException e) {
            park(record, event, UnpricedReason.AMOUNT_OVERFLOW, "debiting " + Money.format(priced.amountMicros())
                    + " from balance " + Money.format(state.balanceMicros()) + " overflows");
            return;
        }
        rollUp(record, priced);
        apply(record, state, decision);
        // last: an event is only marked debited once everything it changes has been written
        dedup.put(dedupKey, "usage:" + event.getEventId(), context.currentSystemTimeMs());
        metrics.debitedUsage();
    }

    private void onSettings(Record<String, Object> record, AccountSettings settings) {
        String accountId = record.key();
        long timestamp = record.timestamp();
        if (!Objects.equals(accountId, settings.getAccountId())) {
            // the key routes the account's usage and results here; a value naming another account would bill
            // and credit that other id: the processing exception handler sends the record to metering-dlq
            throw new IllegalArgumentException("account-settings record key '" + DeadLetters.boundedKey(accountId)
                    + "' differs from its accountId '" + DeadLetters.boundedKey(settings.getAccountId()) + "'");
        }
        if (!settingsGate.admits(record, settings)) {
            return;
        }
        settingsStore.put(accountId, settings);
        settingsCache.remove(accountId);
        AccountStateRecord stored = states.get(accountId);
        AccountState state = stored == null ? AccountState.opening() : AvroMapping.state(stored);
        Decision decision = ledger.applySettings(state, AvroMapping.settings(settings), timestamp);
        apply(accountId, timestamp, stored == null ? null : state, decision);
    }

    private void onPaymentResult(Record<String, Object> record, PaymentResult result) {
        String accountId = record.key();
        AccountStateRecord stored = states.get(accountId);
        if (stored == null || !Objects.equals(accountId, result.getAccountId())) {
            parkPayment(record, result, "UNKNOWN_ACCOUNT", "payment result for request '" + result.getRequestId()
                    + "' names account '" + result.getAccountId() + "' (record key '" + accountId
                    + "'), which has no balance here");
            return;
        }
        String dedupKey = dedupKey('p', accountId, result.getRequestId());
        // a duplicate only if this outcome was applied; another outcome for an applied request (a SUCCEEDED after
        // a DECLINED) is not pending any more and must reach payment-results-unmatched, not be skipped
        if (result.getStatus().name().equals(remembered(dedupKey))) {
            metrics.duplicatePaymentResult();
            log.info("duplicate payment result skipped account='{}' requestId='{}' status={}", accountId,
                    result.getRequestId(), result.getStatus());
            return;
        }
        BillingSettings current = settings(accountId);
        BillingSettings settings = current == null ? AvroMapping.closedAccount(accountId) : current;
        AccountState state = AvroMapping.state(stored);
        Decision decision = ledger.applyPaymentResult(state, settings, AvroMapping.paymentOutcome(result),
                record.timestamp());
        for (Effect effect : decision.effects()) {
            if (effect instanceof Effect.Unmatched unmatched) {
                parkPayment(record, result, unmatched.reason(), unmatched.detail());
                return;
            }
        }
        log.info("payment result applied account='{}' requestId='{}' status={} amountCents={}", accountId,
                result.getRequestId(), result.getStatus(), result.getAmountCents());
        apply(record.key(), record.timestamp(), state, decision);
        dedup.put(dedupKey, result.getStatus().name(), context.currentSystemTimeMs());
    }

    private void apply(Record<String, Object> record, AccountState before, Decision decision) {
        apply(record.key(), record.timestamp(), before, decision);
    }

    /** Stores the new state and forwards the decision's records, then the balance if anything changed. */
    private void apply(String accountId, long timestamp, AccountState before, Decision decision) {
        AccountState after = decision.state();
        if (!after.equals(before)) {
            states.put(accountId, AvroMapping.stateRecord(after));
        }
        long now = context.currentSystemTimeMs();
        for (Effect effect : decision.effects()) {
            forward(accountId, timestamp, effect, now);
        }
        if (before == null || after.balanceMicros() != before.balanceMicros() || after.paused() != before.paused()
                || !Objects.equals(after.pending(), before.pending())) {
            context.forward(new Record<>(accountId, AvroMapping.balance(accountId, after, now), timestamp),
                    MeteringTopology.BALANCES_SINK);
        }
    }

    private void forward(String accountId, long timestamp, Effect effect, long now) {
        if (effect instanceof Effect.Posted posted) {
            Posting posting = posted.posting();
            context.forward(new Record<>(posting.accountId(), AvroMapping.ledgerEntry(posting, now), timestamp),
                    MeteringTopology.LEDGER_SINK);
        } else if (effect instanceof Effect.StatusChanged change) {
            log.info("account {} account='{}' balanceMicros={}", change.paused() ? "paused" : "resumed", accountId,
                    change.balanceMicros());
            context.forward(new Record<>(accountId, AvroMapping.statusChanged(change), timestamp),
                    MeteringTopology.STATUS_SINK);
        } else if (effect instanceof Effect.RechargeRequested request) {
            log.info("recharge requested account='{}' requestId='{}' amountCents={}", accountId, request.requestId(),
                    request.amountCents());
            context.forward(new Record<>(accountId, AvroMapping.rechargeRequest(request), timestamp),
                    MeteringTopology.RECHARGE_SINK);
        } else if (effect instanceof Effect.Notify notify) {
            context.forward(new Record<>(accountId, AvroMapping.notification(notify), timestamp),
                    MeteringTopology.NOTIFICATIONS_SINK);
        } else {
            throw new IllegalStateException("effect " + effect + " must be handled before apply");
        }
    }

    private void rollUp(Record<String, Object> record, PricingOutcome.Priced priced) {
        LocalDate day = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(priced.usage().occurredAtMillis()),
                ZoneOffset.UTC);
        String key = Topics.rollupKey(priced.usage().accountId(), day, priced.usage().sku());
        UsageRollup current = rollups.get(key);
        UsageRollup next = UsageRollup.newBuilder()
                .setAccountId(priced.usage().accountId())
                .setDay(day)
                .setSku(priced.usage().sku())
                .setQuantity(Math.addExact(current == null ? 0 : current.getQuantity(), priced.usage().quantity()))
                .setAmountMicros(Money.add(current == null ? 0 : current.getAmountMicros(), priced.amountMicros()))
                .setEventCount(Math.addExact(current == null ? 0 : current.getEventCount(), 1))
                .build();
        rollups.put(key, next);
        context.forward(new Record<String, Object>(key, next, record.timestamp()), MeteringTopology.ROLLUPS_SINK);
    }

    private void park(Record<String, Object> record, UsageEvent event, UnpricedReason reason, String detail) {
        metrics.unpriced(reason.name());
        RecordMetadata source = context.recordMetadata().orElse(null);
        log.warn("usage parked reason={} account='{}' eventId='{}' topic={} partition={} offset={}: {}", reason,
                DeadLetters.boundedKey(record.key()), DeadLetters.boundedKey(event.getEventId()),
                source == null ? "?" : source.topic(), source == null ? -1 : source.partition(),
                source == null ? -1 : source.offset(), DeadLetters.forLog(detail));
        parking.park(record, event, Topics.USAGE_UNPRICED, MeteringTopology.UNPRICED_SINK, reason.name(), detail);
    }

    private void parkPayment(Record<String, Object> record, PaymentResult result, String reason, String detail) {
        metrics.unmatchedPaymentResult(reason);
        log.error("payment result parked reason={} account='{}' requestId='{}' status={} amountCents={}: {}",
                reason, DeadLetters.boundedKey(record.key()), DeadLetters.boundedKey(result.getRequestId()),
                result.getStatus(), result.getAmountCents(), DeadLetters.forLog(detail));
        parking.park(record, result, Topics.PAYMENT_RESULTS_UNMATCHED, MeteringTopology.UNMATCHED_PAYMENTS_SINK,
                reason, detail);
    }

    private AccountState load(String accountId) {
        AccountStateRecord stored = states.get(accountId);
        return stored == null ? AccountState.opening() : AvroMapping.state(stored);
    }

    private Optional<RatePlan> ratePlan(String ratePlanId) {
        return ratePlans.get(ratePlanId, rateCards::get);
    }

    /** The account's settings, or {@code null} when it has none. */
    private BillingSettings settings(String accountId) {
        BillingSettings cached = settingsCache.get(accountId);
        if (cached != null) {
            return cached;
        }
        AccountSettings stored = settingsStore.get(accountId);
        if (stored == null) {
            return null;
        }
        BillingSettings settings = AvroMapping.settings(stored);
        settingsCache.put(accountId, settings);
        return settings;
    }

    private boolean seen(String dedupKey) {
        return remembered(dedupKey) != null;
    }

    /** What was stored for this key within the dedup retention, or {@code null}. */
    private String remembered(String dedupKey) {
        long now = context.currentSystemTimeMs();
        try (WindowStoreIterator<String> hits = dedup.fetch(dedupKey, Math.max(0, now - limits.dedupRetention().toMillis()), Long.MAX_VALUE)) {
            return hits.hasNext() ? hits.next().value : null;
        }
    }

    private static String dedupKey(char kind, String accountId, String id) {
        return kind + String.valueOf(SEPARATOR) + accountId + SEPARATOR + id;
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
