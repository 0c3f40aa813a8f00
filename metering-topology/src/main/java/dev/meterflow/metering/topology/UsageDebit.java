package dev.meterflow.metering.topology;

import dev.meterflow.metering.errors.DeadLetters;
import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.Decision;
import dev.meterflow.metering.ledger.Ledger;
import dev.meterflow.metering.payments.PlanFeeRules;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.pricing.UnpricedReason;
import dev.meterflow.metering.pricing.Usage;
import dev.meterflow.metering.pricing.UsagePricer;
import dev.meterflow.metering.tax.BilledToAgency;
import dev.meterflow.metering.tax.PlanFeeTax;
import dev.meterflow.metering.tax.TaxProfile;
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

/**
 * The debit of one valid usage event, on the partition of the account that pays for it (the account itself, or a
 * sub-account's agency): deduplicated, debited by the {@link Ledger}, rolled up; or parked with a reason.
 */
final class UsageDebit {

    private static final Logger log = LoggerFactory.getLogger(UsageDebit.class);

    private final ProcessorContext<String, Object> context;
    private final Ledger ledger;
    private final BillingLimits limits;
    private final AccountStore accounts;
    private final Dedup dedup;
    private final DecisionWriter writer;
    private final Parking parking;
    private final MeteringMetrics metrics;
    private final KeyValueStore<String, UsageRollup> rollups;
    private final RatePlanCache ratePlans;
    private final KeyValueStore<String, RateCard> rateCards;
    private final TaxableUsageIndex taxableUsage;

    UsageDebit(ProcessorContext<String, Object> context, Ledger ledger, BillingLimits limits, RatePlanCache ratePlans,
               AccountStore accounts, Dedup dedup, DecisionWriter writer, Parking parking, MeteringMetrics metrics,
               TaxableUsageIndex taxableUsage) {
        this.context = context;
        this.ratePlans = ratePlans;
        this.rateCards = context.getStateStore(StoreNames.RATE_CARDS);
        this.taxableUsage = taxableUsage;
        this.ledger = ledger;
        this.limits = limits;
        this.accounts = accounts;
        this.dedup = dedup;
        this.writer = writer;
        this.parking = parking;
        this.metrics = metrics;
        this.rollups = context.getStateStore(StoreNames.USAGE_ROLLUPS);
    }

    /**
     * Whether the event was debited already (counted, and to be skipped). Asked before pricing: a duplicate of a
     * debited event must never be parked, or a later replay could debit it again once its first copy has left the
     * dedup horizon.
     */
    boolean duplicate(Usage usage) {
        if (!dedup.seen(dedupKey(usage))) {
            return false;
        }
        metrics.duplicateUsage();
        log.debug("duplicate usage skipped account='{}' eventId='{}'", usage.accountId(), usage.eventId());
        return true;
    }

    /**
     * Debits the priced event from {@code payerId}, or parks it.
     *
     * @param record            the record to park, keyed by the account that used the service
     * @param payer             the billing settings of {@code payerId}
     * @param subAccountProfile a sub-account's tax profile, as it travelled with its usage to its agency; empty when
     *                          the account pays itself
     */
    void debit(Record<String, Object> record, UsageEvent event, String payerId, BillingSettings payer,
               PricingOutcome pricing, Optional<TaxProfile> subAccountProfile) {
        PricingOutcome outcome = UsagePricer.capped(pricing, limits.maxUsageAmountMicros());
        if (outcome instanceof PricingOutcome.Unpriced unpriced) {
            park(record, event, unpriced.reason(), unpriced.detail());
            return;
        }
        PricingOutcome.Priced priced = (PricingOutcome.Priced) outcome;
        AccountState stored = accounts.stored(payerId);
        AccountState state = stored == null ? AccountState.opening() : stored;
        Optional<PlanFeeRules.DirectCharge> directCharge = PlanFeeRules.directCharge(payer, priced);
        if (directCharge.isPresent()) {
            chargePlanFee(record, payerId, priced, stored, payer, directCharge.get(), subAccountProfile);
            dedup.remember(dedupKey(priced.usage()), directCharge.get().requestId());
            return;
        }
        Decision decision;
        try {
            decision = ledger.applyUsage(state, payer, priced, record.timestamp());
        } catch (ArithmeticException e) {
            park(record, event, UnpricedReason.AMOUNT_OVERFLOW, "debiting " + Money.format(priced.amountMicros())
                    + " from balance " + Money.format(state.balanceMicros()) + " overflows");
            return;
        }
        rollUp(record, priced);
        indexForTax(priced.usage(), priced.ratePlanId(), priced.amountMicros(), payerId, subAccountProfile);
        writer.apply(payerId, record.timestamp(), state, decision);
        // last: an event is only marked debited once everything it changes has been written
        dedup.remember(dedupKey(priced.usage()), "usage:" + event.getEventId());
        metrics.debitedUsage();
    }

    /**
     * Adds usage paid by {@code payerId} to its month's taxable base when its sku is taxable on the plan that
     * priced it: every debit of usage goes through here, and every plan fee charged directly once
     * ({@link PlanFeeTax}).
     */
    void indexForTax(Usage usage, String ratePlanId, long amountMicros, String payerId,
                     Optional<TaxProfile> subAccountProfile) {
        taxableUsage.add(usage, ratePlanId, amountMicros, id -> ratePlans.get(id, rateCards::get),
                subAccountProfile.map(profile -> new BilledToAgency(payerId, profile)));
    }

    /**
     * The plan fee is asked of the worker; its result debits it if no method could be charged. It joins its month's
     * taxable base now, whatever the result.
     */
    private void chargePlanFee(Record<String, Object> record, String payerId, PricingOutcome.Priced priced,
                               AccountState stored, BillingSettings payer, PlanFeeRules.DirectCharge charge,
                               Optional<TaxProfile> subAccountProfile) {
        AccountState state = stored == null ? AccountState.opening() : stored;
        log.info("plan fee asked of the worker account='{}' eventId='{}' requestId='{}' amountCents={}", payerId,
                priced.usage().eventId(), charge.requestId(), charge.amountCents());
        rollUp(record, priced);
        PlanFeeTax.TaxableFee taxable = PlanFeeTax.atAsk(priced);
        indexForTax(taxable.usage(), taxable.ratePlanId(), taxable.amountMicros(), payerId, subAccountProfile);
        writer.apply(payerId, record.timestamp(), stored,
                ledger.applyPlanFee(state, payer, priced, charge, record.timestamp()));
        metrics.planFeeCharged();
    }

    /** Parks the event on {@code usage-unpriced}, under the record's key (the account that used the service). */
    void park(Record<String, Object> record, UsageEvent event, UnpricedReason reason, String detail) {
        metrics.unpriced(reason.name());
        RecordMetadata source = context.recordMetadata().orElse(null);
        log.warn("usage parked reason={} account='{}' eventId='{}' topic={} partition={} offset={}: {}", reason,
                DeadLetters.boundedKey(record.key()), DeadLetters.boundedKey(event.getEventId()),
                source == null ? "?" : source.topic(), source == null ? -1 : source.partition(),
                source == null ? -1 : source.offset(), DeadLetters.forLog(detail));
        parking.park(record, event, Topics.USAGE_UNPRICED, MeteringTopology.UNPRICED_SINK, reason.name(), detail);
    }

    /** Keyed by the account that used the service, whichever account pays. */
    private static String dedupKey(Usage usage) {
        return Dedup.key('u', usage.accountId(), usage.eventId());
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
        // forwarded to usage-rollups at the commit, once per key (BillingProcessor)
        rollups.put(key, next);
    }
}
