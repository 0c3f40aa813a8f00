package dev.meterflow.metering.topology;

import dev.meterflow.metering.errors.DeadLetters;
import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.Decision;
import dev.meterflow.metering.ledger.Ledger;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.UnpricedReason;
import dev.meterflow.metering.pricing.Usage;
import dev.meterflow.metering.pricing.UsagePricer;
import dev.meterflow.money.Money;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.schemas.UsageRollup;
import dev.meterflow.topics.Topics;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A usage event: validated, deduplicated, priced, debited by the {@link Ledger}, rolled up; or parked with a reason. */
final class UsageHandler {

    private static final Logger log = LoggerFactory.getLogger(UsageHandler.class);

    private final ProcessorContext<String, Object> context;
    private final Ledger ledger;
    private final BillingLimits limits;
    private final RatePlanCache ratePlans;
    private final AccountStore accounts;
    private final Dedup dedup;
    private final DecisionWriter writer;
    private final Parking parking;
    private final MeteringMetrics metrics;
    private final KeyValueStore<String, UsageRollup> rollups;
    private final KeyValueStore<String, RateCard> rateCards;
    private final TaxableUsageIndex taxableUsage;

    UsageHandler(ProcessorContext<String, Object> context, Ledger ledger, BillingLimits limits,
                 RatePlanCache ratePlans, AccountStore accounts, Dedup dedup, DecisionWriter writer,
                 Parking parking, MeteringMetrics metrics, TaxableUsageIndex taxableUsage) {
        this.context = context;
        this.ledger = ledger;
        this.limits = limits;
        this.ratePlans = ratePlans;
        this.accounts = accounts;
        this.dedup = dedup;
        this.writer = writer;
        this.parking = parking;
        this.metrics = metrics;
        this.rollups = context.getStateStore(StoreNames.USAGE_ROLLUPS);
        this.rateCards = context.getStateStore(StoreNames.RATE_CARDS);
        this.taxableUsage = taxableUsage;
    }

    void handle(Record<String, Object> record, UsageEvent event) {
        Usage usage = AvroMapping.usage(event);
        Optional<PricingOutcome.Unpriced> invalid = UsagePricer.validate(record.key(), usage);
        if (invalid.isPresent()) {
            park(record, event, invalid.get().reason(), invalid.get().detail());
            return;
        }
        // before pricing: a duplicate of a debited event must never be parked, or a later replay could debit
        // it again once its first copy has left the dedup horizon
        String dedupKey = Dedup.key('u', record.key(), event.getEventId());
        if (dedup.seen(dedupKey)) {
            metrics.duplicateUsage();
            log.debug("duplicate usage skipped account='{}' eventId='{}'", record.key(), event.getEventId());
            return;
        }
        BillingSettings settings = accounts.settings(record.key());
        PricingOutcome outcome = UsagePricer.capped(UsagePricer.price(record.key(), usage, settings, this::ratePlan),
                limits.maxUsageAmountMicros());
        if (outcome instanceof PricingOutcome.Unpriced unpriced) {
            park(record, event, unpriced.reason(), unpriced.detail());
            return;
        }
        PricingOutcome.Priced priced = (PricingOutcome.Priced) outcome;
        AccountState stored = accounts.stored(record.key());
        AccountState state = stored == null ? AccountState.opening() : stored;
        Decision decision;
        try {
            decision = ledger.applyUsage(state, settings, priced, record.timestamp());
        } catch (ArithmeticException e) {
            park(record, event, UnpricedReason.AMOUNT_OVERFLOW, "debiting " + Money.format(priced.amountMicros())
                    + " from balance " + Money.format(state.balanceMicros()) + " overflows");
            return;
        }
        rollUp(record, priced);
        taxableUsage.add(priced, this::ratePlan);
        writer.apply(record.key(), record.timestamp(), state, decision);
        // last: an event is only marked debited once everything it changes has been written
        dedup.remember(dedupKey, "usage:" + event.getEventId());
        metrics.debitedUsage();
    }

    private void rollUp(Record<String, Object> record, PricingOutcome.Priced priced) {
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(priced.usage().occurredAtMillis()), ZoneOffset.UTC);
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

    private Optional<RatePlan> ratePlan(String ratePlanId) {
        return ratePlans.get(ratePlanId, rateCards::get);
    }
}
