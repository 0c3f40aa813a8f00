package dev.meterflow.metering.topology;

import dev.meterflow.metering.agency.Payer;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.Usage;
import dev.meterflow.metering.pricing.UsagePricer;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.UsageEvent;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A usage event, on its account's partition: validated, then priced and debited there ({@link UsageDebit}), or,
 * for a sub-account, sent to its agency's partition to be priced and debited there ({@link AgencyRouting}).
 */
final class UsageHandler {

    private final RatePlanCache ratePlans;
    private final AccountStore accounts;
    private final UsageDebit debit;
    private final AgencyRouting agencies;
    private final KeyValueStore<String, RateCard> rateCards;

    UsageHandler(ProcessorContext<String, Object> context, RatePlanCache ratePlans, AccountStore accounts,
                 UsageDebit debit, AgencyRouting agencies) {
        this.ratePlans = ratePlans;
        this.accounts = accounts;
        this.debit = debit;
        this.agencies = agencies;
        this.rateCards = context.getStateStore(StoreNames.RATE_CARDS);
    }

    void handle(Record<String, Object> record, UsageEvent event) {
        Usage usage = AvroMapping.usage(event);
        Optional<PricingOutcome.Unpriced> invalid = UsagePricer.validate(record.key(), usage);
        if (invalid.isPresent()) {
            debit.park(record, event, invalid.get().reason(), invalid.get().detail());
            return;
        }
        BillingSettings settings = accounts.settings(record.key());
        String agency = Payer.agencyOf(settings);
        if (agency != null) {
            agencies.routeUsage(record, event, agency, settings.ratePlanId(),
                    AvroMapping.taxProfile(accounts.settingsRecord(record.key())));
            return;
        }
        if (debit.duplicate(usage)) {
            return;
        }
        debit.debit(record, event, record.key(), settings,
                UsagePricer.price(record.key(), usage, settings, this::ratePlan), Optional.empty());
    }

    private Optional<RatePlan> ratePlan(String ratePlanId) {
        return ratePlans.get(ratePlanId, rateCards::get);
    }
}
