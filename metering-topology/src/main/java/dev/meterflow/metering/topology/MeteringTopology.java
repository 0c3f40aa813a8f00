package dev.meterflow.metering.topology;

import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.metering.errors.RefusedRecords;
import dev.meterflow.metering.ledger.Ledger;
import dev.meterflow.metering.state.AccountStateRecord;
import dev.meterflow.metering.state.AgencyRecord;
import dev.meterflow.metering.tax.TaxRateRules;
import dev.meterflow.serde.SingleObjectSerde;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the metering topology without starting anything, so a test can hand it to {@code TopologyTestDriver}.
 *
 * <pre>
 * usage-events ─────┐
 * account-settings ─┤
 * payment-results ──┼─> billing-processor ─┬─> ledger-entries, account-balances, account-status
 * payment-commands ─┘   (one writer per    ├─> recharge-requests, billing-notifications, usage-rollups
 *                        billing account)   └─> usage-unpriced, payment-results-unmatched, *-rejected
 * rate-cards ──> rate-cards-global-store (read by billing-processor; records it refuses ──> metering-dlq)
 * billing-processor ──> agency-billing-repartition (internal) ──> billing-processor, on the agency's partition
 * tax-rates ──> tax-rates-global-store (read by the monthly tax run; records it refuses ──> metering-dlq)
 * </pre>
 */
public final class MeteringTopology {

    public static final String USAGE_SOURCE = "usage-events-source";
    public static final String SETTINGS_SOURCE = "account-settings-source";
    public static final String PAYMENT_RESULTS_SOURCE = "payment-results-source";
    public static final String PAYMENT_COMMANDS_SOURCE = "payment-commands-source";
    public static final String AGENCY_SOURCE = "agency-billing-source";
    public static final String BILLING_PROCESSOR = "billing-processor";
    static final String LEDGER_SINK = "ledger-entries-sink";
    static final String BALANCES_SINK = "account-balances-sink";
    static final String STATUS_SINK = "account-status-sink";
    static final String RECHARGE_SINK = "recharge-requests-sink";
    static final String NOTIFICATIONS_SINK = "billing-notifications-sink";
    static final String ROLLUPS_SINK = "usage-rollups-sink";
    static final String UNPRICED_SINK = "usage-unpriced-sink";
    static final String UNMATCHED_PAYMENTS_SINK = "payment-results-unmatched-sink";
    static final String REJECTED_SETTINGS_SINK = "account-settings-rejected-sink";
    static final String REJECTED_PAYMENTS_SINK = "payment-commands-rejected-sink";
    static final String DLQ_SINK = "metering-dlq-sink";
    static final String AGENCY_SINK = "agency-billing-sink";
    /** Topics Kafka Streams creates itself (named {@code <application.id>-<name>}); provisioning leaves them out. */
    public static final Set<String> INTERNAL_TOPICS = Set.of(StoreNames.AGENCY_REPARTITION);

    private MeteringTopology() {
    }

    /** The topology for these settings (see {@link MeteringConfig} for the keys and their defaults). */
    public static Topology build(Properties properties) {
        return build(MeteringConfig.from(properties));
    }

    /** The topology, refused reference records only logged (see {@link RefusedRecords#LOGGED_ONLY}). */
    public static Topology build(MeteringConfig config) {
        return build(config, RefusedRecords.LOGGED_ONLY);
    }

    /** @param refused where the global stores park the records they refuse */
    public static Topology build(MeteringConfig config, RefusedRecords refused) {
        Ledger ledger = new Ledger(config.declineBackoff());
        Duration dedupRetention = config.dedupRetention();
        StreamsTopology topology = new StreamsTopology();
        RatePlanCache ratePlans = new RatePlanCache();

        GuardedGlobalStore.add(topology, Topics.RATE_CARDS, StoreNames.RATE_CARDS, refused, ratePlans::invalidate);

        addSource(topology, USAGE_SOURCE, Topics.USAGE_EVENTS);
        addSource(topology, SETTINGS_SOURCE, Topics.ACCOUNT_SETTINGS);
        addSource(topology, PAYMENT_RESULTS_SOURCE, Topics.PAYMENT_RESULTS);
        addSource(topology, PAYMENT_COMMANDS_SOURCE, Topics.PAYMENT_COMMANDS);
        BillingLimits limits = new BillingLimits(dedupRetention, config.backoffCheckInterval(),
                config.maxUsageAmountMicros(), config.maxRechargeMicros(), config.maxPaymentMicros(),
                config.pendingTimeout(), config.taxRunInterval(), config.taxRunSliceSize());
        // a sub-account's usage and agency changes, to the agency's partition (issue 10, section 5)
        SingleObjectSerde<AgencyRecord> agencySerde = new SingleObjectSerde<>(AgencyRecord.class,
                StateSchemas.released());
        topology.addInternalTopic(StoreNames.AGENCY_REPARTITION);
        topology.addSource(AutoOffsetReset.earliest(), AGENCY_SOURCE, Serdes.String().deserializer(),
                agencySerde.deserializer(), StoreNames.AGENCY_REPARTITION);
        topology.addProcessor(BILLING_PROCESSOR, () -> new BillingProcessor(ledger, limits, ratePlans),
                USAGE_SOURCE, SETTINGS_SOURCE, PAYMENT_RESULTS_SOURCE, PAYMENT_COMMANDS_SOURCE, AGENCY_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.AGENCY_MEMBERS),
                Serdes.String(), Serdes.String()), BILLING_PROCESSOR);
        topology.addSink(AGENCY_SINK, StoreNames.AGENCY_REPARTITION, Serdes.String().serializer(),
                agencySerde.serializer(), BILLING_PROCESSOR);

        // cached: each key's changelog record (and balance, rollup) written once per commit, not once per record
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.ACCOUNT_STATE),
                Serdes.String(), new SingleObjectSerde<>(AccountStateRecord.class, StateSchemas.released()))
                .withCachingEnabled(), BILLING_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.ACCOUNT_SETTINGS),
                Serdes.String(), Topics.ACCOUNT_SETTINGS.valueSerde()), BILLING_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.USAGE_ROLLUPS),
                Serdes.String(), Topics.USAGE_ROLLUPS.valueSerde()).withCachingEnabled(), BILLING_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.PENDING_RECHARGES), Serdes.String(), Serdes.String()),
                BILLING_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.TAXABLE_USAGE),
                Serdes.String(), new TaxableBaseSerde()).withCachingEnabled(), BILLING_PROCESSOR);
        // one changelog record per task per commit, not one per id (issue 13, section 2)
        topology.addStateStore(DedupStore.builder(StoreNames.DEDUP, dedupRetention), BILLING_PROCESSOR);

        // added after the billing processor: sub-topologies are numbered in the order they are added, and the
        // billing tasks keep their ids (1_0, 1_1, ...) and the state directories named after them
        GuardedGlobalStore.add(topology, Topics.TAX_RATES, StoreNames.TAX_RATES, refused, jurisdiction -> { },
                (key, rate) -> TaxRateRules.refusal(key, rate.getJurisdiction(), rate.getRatePpm()));

        addSink(topology, LEDGER_SINK, Topics.LEDGER_ENTRIES);
        addSink(topology, BALANCES_SINK, Topics.ACCOUNT_BALANCES);
        addSink(topology, STATUS_SINK, Topics.ACCOUNT_STATUS);
        addSink(topology, RECHARGE_SINK, Topics.RECHARGE_REQUESTS);
        addSink(topology, NOTIFICATIONS_SINK, Topics.BILLING_NOTIFICATIONS);
        addSink(topology, ROLLUPS_SINK, Topics.USAGE_ROLLUPS);
        addSink(topology, UNPRICED_SINK, Topics.USAGE_UNPRICED);
        addSink(topology, UNMATCHED_PAYMENTS_SINK, Topics.PAYMENT_RESULTS_UNMATCHED);
        addSink(topology, REJECTED_SETTINGS_SINK, Topics.ACCOUNT_SETTINGS_REJECTED);
        addSink(topology, REJECTED_PAYMENTS_SINK, Topics.PAYMENT_COMMANDS_REJECTED);
        // references to parked copies too large to write (see DeadLetters)
        topology.addSink(DLQ_SINK, Topics.METERING_DLQ.name(), Serdes.String().serializer(),
                new ByteArraySerializer(), BILLING_PROCESSOR);
        return topology;
    }

    private static void addSource(Topology topology, String name, Topic<String, ?> topic) {
        topology.addSource(name, topic.keySerde().deserializer(), topic.valueSerde().deserializer(), topic.name());
    }

    private static <V> void addSink(Topology topology, String name, Topic<String, V> topic) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(),
                BILLING_PROCESSOR);
    }
}
