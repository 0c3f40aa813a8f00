package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.RateCardBuilder.aRateCard;
import static dev.meterflow.testdata.TestData.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.metering.errors.RefusedRecords;
import dev.meterflow.metering.state.AccountStateRecord;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.TaxRate;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.schemas.UsageRollup;
import dev.meterflow.testdata.AccountSettingsBuilder;
import dev.meterflow.testdata.PaymentCommandBuilder;
import dev.meterflow.testdata.PaymentResultBuilder;
import dev.meterflow.testdata.RateCardBuilder;
import dev.meterflow.testdata.UsageEventBuilder;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The metering topology in a {@link TopologyTestDriver}, configured exactly as in production
 * ({@link MeteringConfig#streamsProperties()}: exactly_once_v2, the {@code metering-dlq} dead letter queue,
 * log-and-continue handlers) with its own state directory and application id, its wall clock at
 * {@link TestData#START} and the pro plan's rate card already published.
 *
 * <p>Each output accessor returns what the topology published on that topic <em>since the last read</em>, so a
 * test reads the "given" step's outputs (or {@link #forgetOutputs()}) before its "when".
 */
final class MeteringDriver implements AutoCloseable {

    private final TopologyTestDriver driver;

    private final TestInputTopic<String, UsageEvent> usageEvents;
    private final TestInputTopic<byte[], byte[]> rawUsageEvents;
    private final TestInputTopic<String, AccountSettings> accountSettings;
    private final TestInputTopic<String, RateCard> rateCards;
    private final TestInputTopic<String, PaymentResult> paymentResults;
    private final TestInputTopic<String, PaymentCommand> paymentCommands;
    private final TestInputTopic<String, TaxRate> taxRates;

    private final TestOutputTopic<String, LedgerEntry> ledgerEntries;
    private final TestOutputTopic<String, AccountBalance> balances;
    private final TestOutputTopic<String, AccountStatusChanged> statusChanges;
    private final TestOutputTopic<String, RechargeRequest> rechargeRequests;
    private final TestOutputTopic<String, BillingNotification> notifications;
    private final TestOutputTopic<String, UsageRollup> rollups;
    private final TestOutputTopic<String, UsageEvent> unpriced;
    private final TestOutputTopic<String, PaymentResult> unmatchedPayments;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final TestOutputTopic<String, AccountSettings> rejectedSettings;
    private final TestOutputTopic<String, PaymentCommand> rejectedPayments;
    private final Map<String, TestInputTopic<byte[], byte[]>> rawInputs = new HashMap<>();
    private final List<String> refusedReferenceRecords = new ArrayList<>();
    private final String dedupChangelogTopic;
    private final TestOutputTopic<byte[], byte[]> dedupChangelog;
    private final List<TestRecord<byte[], byte[]>> dedupChangelogRead = new ArrayList<>();

    private MeteringDriver(Path stateDir, Properties streamsOverrides) {
        this(stateDir, streamsOverrides, new Properties(), START);
    }

    private MeteringDriver(Path stateDir, Properties streamsOverrides, Properties meteringSettings, Instant wallClock) {
        Properties settings = new Properties();
        settings.putAll(meteringSettings);
        settings.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "metering-test-" + stateDir.getFileName());
        MeteringConfig config = MeteringConfig.from(settings);
        Properties streams = config.streamsProperties();
        streams.putAll(streamsOverrides);
        RefusedRecords refused = (topic, partition, offset, key, value, reason, detail) ->
                refusedReferenceRecords.add(topic + "-" + partition + "@" + offset + " " + reason);
        driver = new TopologyTestDriver(MeteringTopology.build(config, refused), streams, wallClock);

        usageEvents = input(Topics.USAGE_EVENTS);
        rawUsageEvents = driver.createInputTopic(Topics.USAGE_EVENTS.name(), new ByteArraySerializer(),
                new ByteArraySerializer());
        accountSettings = input(Topics.ACCOUNT_SETTINGS);
        rateCards = input(Topics.RATE_CARDS);
        paymentResults = input(Topics.PAYMENT_RESULTS);
        paymentCommands = input(Topics.PAYMENT_COMMANDS);
        taxRates = input(Topics.TAX_RATES);

        ledgerEntries = output(Topics.LEDGER_ENTRIES);
        balances = output(Topics.ACCOUNT_BALANCES);
        statusChanges = output(Topics.ACCOUNT_STATUS);
        rechargeRequests = output(Topics.RECHARGE_REQUESTS);
        notifications = output(Topics.BILLING_NOTIFICATIONS);
        rollups = output(Topics.USAGE_ROLLUPS);
        unpriced = output(Topics.USAGE_UNPRICED);
        unmatchedPayments = output(Topics.PAYMENT_RESULTS_UNMATCHED);
        deadLetters = driver.createOutputTopic(Topics.METERING_DLQ.name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        rejectedSettings = output(Topics.ACCOUNT_SETTINGS_REJECTED);
        rejectedPayments = output(Topics.PAYMENT_COMMANDS_REJECTED);
        dedupChangelogTopic = streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-" + StoreNames.DEDUP
                + "-changelog";
        dedupChangelog = driver.createOutputTopic(dedupChangelogTopic, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** The topology with the default configuration (dedup retention 36 days, decline back-off 24 hours). */
    static MeteringDriver start(Path stateDir) {
        return started(new MeteringDriver(stateDir, new Properties()));
    }

    /**
     * The topology as configured in production except {@code processing.guarantee=at_least_once}: only to look at
     * what a deserialization error sends to {@code metering-dlq}. Under exactly_once_v2 the test driver loses that
     * record: Kafka Streams sends it into the open transaction while the driver enqueues the input, and the
     * driver's output capture then calls {@code MockProducer.clear()}, which discards uncommitted sends. With a real
     * producer the record should commit with the transaction; that needs a broker (an {@code *IT}) to show.
     */
    static MeteringDriver startAtLeastOnce(Path stateDir) {
        Properties streams = new Properties();
        streams.setProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        return started(new MeteringDriver(stateDir, streams));
    }

    /**
     * The topology with these {@link MeteringConfig} settings, its wall clock at {@code wallClock}: a second one on
     * the same state directory carries on from the stores the first one left.
     */
    static MeteringDriver startAt(Path stateDir, Instant wallClock, Properties meteringSettings) {
        return started(new MeteringDriver(stateDir, new Properties(), meteringSettings, wallClock));
    }

    private static MeteringDriver started(MeteringDriver metering) {
        metering.publish(aRateCard());
        return metering;
    }

    // ---- inputs: each record's timestamp is the time it carries (occurredAt, updatedAt, completedAt)

    UsageEvent publish(UsageEventBuilder event) {
        UsageEvent usage = event.build();
        publish(usage);
        return usage;
    }

    void publish(UsageEvent usage) {
        usageEvents.pipeInput(usage.getAccountId(), usage, usage.getOccurredAt());
    }

    AccountSettings publish(AccountSettingsBuilder settings) {
        AccountSettings value = settings.build();
        accountSettings.pipeInput(value.getAccountId(), value, value.getUpdatedAt());
        return value;
    }

    /** Settings under a key that is not their account id: a routing mistake of the settings backend. */
    void publishUnderKey(String key, AccountSettingsBuilder settings) {
        AccountSettings value = settings.build();
        accountSettings.pipeInput(key, value, value.getUpdatedAt());
    }

    void publish(RateCardBuilder card) {
        RateCard value = card.build();
        rateCards.pipeInput(value.getRatePlanId(), value, value.getUpdatedAt());
    }

    PaymentResult publish(PaymentResultBuilder result) {
        PaymentResult value = result.build();
        publish(value);
        return value;
    }

    void publish(PaymentResult result) {
        paymentResults.pipeInput(result.getAccountId(), result, result.getCompletedAt());
    }

    PaymentCommand publish(PaymentCommandBuilder command) {
        PaymentCommand value = command.build();
        paymentCommands.pipeInput(value.getAccountId(), value, value.getRequestedAt());
        return value;
    }

    /** A tax rate under its jurisdiction, at the time the driver started. */
    void publish(TaxRate rate) {
        taxRates.pipeInput(rate.getJurisdiction(), rate, START);
    }

    /** A command under a key that is not its account id. */
    void publishUnderKey(String key, PaymentCommandBuilder command) {
        PaymentCommand value = command.build();
        paymentCommands.pipeInput(key, value, value.getRequestedAt());
    }

    /** Bytes on {@code usage-events} as a misbehaving producer might write them. */
    void publishRawUsage(String accountId, byte[] value, Instant at) {
        rawUsageEvents.pipeInput(accountId.getBytes(StandardCharsets.UTF_8), value, at);
    }

    /** Any bytes, or none, under any key, or none, on any input topic. */
    void publishRaw(String topic, byte[] key, byte[] value) {
        rawInputs.computeIfAbsent(topic, name -> driver.createInputTopic(name, new ByteArraySerializer(),
                new ByteArraySerializer())).pipeInput(key, value, START);
    }

    void advanceWallClock(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    /** The tax run's index ({@code taxable-usage-store}), to stage what a replay could leave there. */
    KeyValueStore<String, TaxableBase> taxableUsageStore() {
        return driver.getKeyValueStore(StoreNames.TAXABLE_USAGE);
    }

    /** The accounts' ledger state ({@code account-state-store}), to stage state an earlier release wrote. */
    KeyValueStore<String, AccountStateRecord> accountStateStore() {
        return driver.getKeyValueStore(StoreNames.ACCOUNT_STATE);
    }

    /**
     * The task's stores as the last commit left them: what a new instance restores from their changelogs after
     * this one crashed. (The test driver deletes its state directory when it closes, so a second driver cannot
     * simply reopen it.) The dedup store is taken as its changelog's records, which the next driver restores
     * through the store's own restore callback, as Kafka Streams would.
     */
    CommittedState committedState() {
        Map<String, List<KeyValue<Object, Object>>> keyValues = new HashMap<>();
        for (String name : driver.getAllStateStores().keySet()) {
            KeyValueStore<Object, Object> keyValueStore = driver.getKeyValueStore(name);
            if (name.endsWith("-global-store")) {
                continue; // reference data: published again to the new driver
            } else if (keyValueStore != null) {
                try (KeyValueIterator<Object, Object> all = keyValueStore.all()) {
                    keyValues.put(name, toList(all));
                }
            }
        }
        return new CommittedState(keyValues, dedupChangelog());
    }

    /** Restores stores taken with {@link #committedState()} from another driver of the same topology. */
    void restore(CommittedState state) {
        state.keyValues().forEach((name, entries) -> {
            KeyValueStore<Object, Object> store = driver.getKeyValueStore(name);
            entries.forEach(entry -> store.put(entry.key, entry.value));
        });
        restoreDedup(state.dedupChangelog());
    }

    /** Every record written to the dedup store's changelog so far, in order. */
    List<ConsumerRecord<byte[], byte[]>> dedupChangelog() {
        List<TestRecord<byte[], byte[]>> written = dedupChangelog.readRecordsToList();
        dedupChangelogRead.addAll(written);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (TestRecord<byte[], byte[]> record : dedupChangelogRead) {
            records.add(new ConsumerRecord<>(dedupChangelogTopic, 0, records.size(), record.timestamp(),
                    TimestampType.CREATE_TIME, record.key().length, record.value().length, record.key(),
                    record.value(), record.headers(), Optional.empty()));
        }
        return records;
    }

    /** Restores the dedup store from changelog records, through the callback Kafka Streams restores it by. */
    void restoreDedup(List<ConsumerRecord<byte[], byte[]>> changelog) {
        DedupStore store = (DedupStore) driver.getStateStore(StoreNames.DEDUP);
        store.restoreCallback().restoreBatch(changelog);
    }

    record CommittedState(Map<String, List<KeyValue<Object, Object>>> keyValues,
                          List<ConsumerRecord<byte[], byte[]>> dedupChangelog) {
    }

    private static <K> List<KeyValue<K, Object>> toList(KeyValueIterator<K, Object> iterator) {
        List<KeyValue<K, Object>> entries = new ArrayList<>();
        iterator.forEachRemaining(entries::add);
        return entries;
    }

    // ---- outputs, since the last read

    List<LedgerEntry> ledgerEntries() {
        return ledgerEntries.readValuesToList();
    }

    List<AccountBalance> balances() {
        return balances.readValuesToList();
    }

    /** The latest {@code account-balances} value per account, as a compacted topic would keep it. */
    Map<String, AccountBalance> latestBalances() {
        return balances.readKeyValuesToMap();
    }

    List<AccountStatusChanged> statusChanges() {
        return statusChanges.readValuesToList();
    }

    List<RechargeRequest> rechargeRequests() {
        return rechargeRequests.readValuesToList();
    }

    /** The one recharge request published since the last read; fails if there is none or more than one. */
    RechargeRequest theRechargeRequest() {
        List<RechargeRequest> requests = rechargeRequests();
        assertThat(requests).as("recharge requests").hasSize(1);
        return requests.get(0);
    }

    List<BillingNotification> notifications() {
        return notifications.readValuesToList();
    }

    /** The records, with their record times, of {@link #ledgerEntries()}. */
    List<TestRecord<String, LedgerEntry>> ledgerEntryRecords() {
        return ledgerEntries.readRecordsToList();
    }

    /** The records, with their record times, of {@link #rechargeRequests()}. */
    List<TestRecord<String, RechargeRequest>> rechargeRequestRecords() {
        return rechargeRequests.readRecordsToList();
    }

    /** The records, with their record times, of {@link #notifications()}. */
    List<TestRecord<String, BillingNotification>> notificationRecords() {
        return notifications.readRecordsToList();
    }

    /** The latest {@code usage-rollups} value per key, as a compacted topic would keep it. */
    Map<String, UsageRollup> latestRollups() {
        return rollups.readKeyValuesToMap();
    }

    List<TestRecord<String, UsageEvent>> unpriced() {
        return unpriced.readRecordsToList();
    }

    List<TestRecord<String, PaymentResult>> unmatchedPayments() {
        return unmatchedPayments.readRecordsToList();
    }

    List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    List<TestRecord<String, AccountSettings>> rejectedSettings() {
        return rejectedSettings.readRecordsToList();
    }

    List<TestRecord<String, PaymentCommand>> rejectedPayments() {
        return rejectedPayments.readRecordsToList();
    }

    /** What the global stores refused, as {@code topic-partition@offset REASON}, in order. */
    List<String> refusedReferenceRecords() {
        return List.copyOf(refusedReferenceRecords);
    }

    /** Reads and discards everything published so far. */
    void forgetOutputs() {
        ledgerEntries();
        balances();
        statusChanges();
        rechargeRequests();
        notifications();
        latestRollups();
        unpriced();
        unmatchedPayments();
        deadLetters();
        rejectedSettings();
        rejectedPayments();
    }

    /** The value of a Kafka Streams metric with this group, name and tag, summed; 0 if never recorded. */
    double streamsMetric(String group, String name, String tagKey, String tagValue) {
        return driver.metrics().entrySet().stream()
                .filter(entry -> entry.getKey().group().equals(group))
                .filter(entry -> entry.getKey().name().equals(name))
                .filter(entry -> tagKey == null || tagValue.equals(entry.getKey().tags().get(tagKey)))
                .mapToDouble(entry -> ((Number) entry.getValue().metricValue()).doubleValue())
                .sum();
    }

    /** The value of a {@code meterflow-metering} counter with this tag, summed over tasks; 0 if never recorded. */
    double meteringMetric(String name, String tagKey, String tagValue) {
        return streamsMetric(MeteringMetrics.GROUP, name, tagKey, tagValue);
    }

    @Override
    public void close() {
        driver.close();
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), new StringDeserializer(), topic.valueSerde().deserializer());
    }
}
