package dev.meterflow.metering.topology;

import dev.meterflow.metering.agency.Payer;
import dev.meterflow.metering.state.AgencyRecord;
import dev.meterflow.metering.state.AgencyRecordKind;
import dev.meterflow.metering.tax.TaxProfile;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import java.nio.ByteBuffer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what an agency must know about its sub-accounts to the agency's partition, through the internal
 * {@code agency-billing} repartition topic (written in the task's transaction, with the input's offset): a
 * sub-account's usage event, and its joining or leaving the agency.
 */
final class AgencyRouting {

    private static final Logger log = LoggerFactory.getLogger(AgencyRouting.class);

    private final ProcessorContext<String, Object> context;
    private final MeteringMetrics metrics;

    AgencyRouting(ProcessorContext<String, Object> context, MeteringMetrics metrics) {
        this.context = context;
        this.metrics = metrics;
    }

    /**
     * The event goes as it was read, with the sub-account's rate plan: it is deduplicated, priced and debited on
     * the agency's partition, where the balance is, so the eventId is marked once, on the side that debits. The
     * sub-account's tax profile goes with it: its address decides the tax the agency pays on it, and its settings
     * are only here.
     */
    void routeUsage(Record<String, Object> record, UsageEvent event, String agencyId, String ratePlanId,
                    TaxProfile taxProfile) {
        byte[] bytes = Topics.USAGE_EVENTS.valueSerde().serializer().serialize(Topics.USAGE_EVENTS.name(), event);
        AgencyRecord routed = AgencyRecord.newBuilder()
                .setKind(AgencyRecordKind.USAGE)
                .setAgencyAccountId(agencyId)
                .setSubAccountId(record.key())
                .setRatePlanId(ratePlanId)
                .setUsageEvent(ByteBuffer.wrap(bytes))
                .setTaxJurisdiction(taxProfile.jurisdiction().orElse(null))
                .setTaxExempt(taxProfile.exempt())
                .build();
        context.forward(record.withKey(agencyId).withValue((Object) routed), MeteringTopology.AGENCY_SINK);
        metrics.routedToAgency();
    }

    /** A sub-account's agency changed (a new one, another, or none): each agency involved is told. */
    void membershipChanged(Record<String, Object> record, String accountId, String agencyBefore,
                           String agencyAfter) {
        for (Payer.Membership change : Payer.changes(accountId, agencyBefore, agencyAfter)) {
            log.info("agency membership changed account='{}' agency='{}' joined={}", accountId, change.agencyId(),
                    change.joined());
            AgencyRecord routed = AgencyRecord.newBuilder()
                    .setKind(change.joined() ? AgencyRecordKind.JOINED : AgencyRecordKind.LEFT)
                    .setAgencyAccountId(change.agencyId())
                    .setSubAccountId(accountId)
                    .build();
            context.forward(new Record<String, Object>(change.agencyId(), routed, record.timestamp()),
                    MeteringTopology.AGENCY_SINK);
        }
    }
}
