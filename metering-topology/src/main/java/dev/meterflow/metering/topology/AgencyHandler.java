package dev.meterflow.metering.topology;

import dev.meterflow.metering.agency.StatusCascade;
import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.Usage;
import dev.meterflow.metering.pricing.UsagePricer;
import dev.meterflow.metering.state.AgencyRecord;
import dev.meterflow.metering.tax.TaxProfile;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link AgencyRouting} sent to an agency's partition: a sub-account's usage, debited from the agency's
 * balance (its thresholds, cards and recharges apply); a sub-account joining (told the agency's status at once) or
 * leaving the agency.
 */
final class AgencyHandler {

    private static final Logger log = LoggerFactory.getLogger(AgencyHandler.class);

    private final RatePlanCache ratePlans;
    private final AccountStore accounts;
    private final AgencyMembers members;
    private final UsageDebit debit;
    private final DecisionWriter writer;
    private final KeyValueStore<String, RateCard> rateCards;

    AgencyHandler(ProcessorContext<String, Object> context, RatePlanCache ratePlans, AccountStore accounts,
                  AgencyMembers members, UsageDebit debit, DecisionWriter writer) {
        this.ratePlans = ratePlans;
        this.accounts = accounts;
        this.members = members;
        this.debit = debit;
        this.writer = writer;
        this.rateCards = context.getStateStore(StoreNames.RATE_CARDS);
    }

    void handle(Record<String, Object> record, AgencyRecord routed) {
        switch (routed.getKind()) {
            case USAGE -> debitUsage(record, routed);
            case JOINED -> joined(record, routed.getSubAccountId());
            case LEFT -> {
                members.leave(record.key(), routed.getSubAccountId());
                log.info("sub-account left agency agency='{}' account='{}'", record.key(), routed.getSubAccountId());
            }
            default -> throw new IllegalArgumentException("agency record of unknown kind " + routed.getKind());
        }
    }

    private void debitUsage(Record<String, Object> record, AgencyRecord routed) {
        String agencyId = record.key();
        UsageEvent event = decode(routed.getUsageEvent());
        Usage usage = AvroMapping.usage(event);
        if (debit.duplicate(usage)) {
            return;
        }
        BillingSettings agency = accounts.settings(agencyId);
        // parked, if it must be, as it came: keyed by the sub-account, so replay-unpriced sends it back there
        debit.debit(record.withKey(routed.getSubAccountId()).withValue((Object) event), event, agencyId, agency,
                UsagePricer.priceForAgency(agencyId, usage, routed.getRatePlanId(), agency, this::ratePlan),
                Optional.of(taxProfile(routed)));
    }

    /**
     * The sub-account's tax profile as it was when its usage was routed. A record written before the profile
     * travelled has none: its usage is indexed without a jurisdiction, so the run reports it (NO_ADDRESS) for
     * someone to bill rather than guess.
     */
    private static TaxProfile taxProfile(AgencyRecord routed) {
        return new TaxProfile(Optional.ofNullable(routed.getTaxJurisdiction()), routed.getTaxExempt());
    }

    private void joined(Record<String, Object> record, String subAccountId) {
        String agencyId = record.key();
        members.join(agencyId, subAccountId);
        AccountState state = accounts.load(agencyId);
        log.info("sub-account joined agency agency='{}' account='{}' agencyPaused={}", agencyId, subAccountId,
                state.paused());
        writer.forwardStatus(StatusCascade.joined(subAccountId, state.paused(), state.balanceMicros(),
                record.timestamp()), record.timestamp());
    }

    private static UsageEvent decode(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return Topics.USAGE_EVENTS.valueSerde().deserializer().deserialize(Topics.USAGE_EVENTS.name(), copy);
    }

    private Optional<RatePlan> ratePlan(String ratePlanId) {
        return ratePlans.get(ratePlanId, rateCards::get);
    }
}
