package dev.meterflow.local;

import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.metering.MeteringService;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.testdata.stack.BrokerStack;
import dev.meterflow.testdata.stack.TestStack;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.RechargeWorkerService;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.stripe.StripeGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * What an end-to-end test class shares: one real KRaft broker with every topic of the contract (a
 * {@link BrokerStack}: two partitions each, compacted where the registry says so, a producer that stamps records
 * with the current time, readers that see what a {@code read_committed} consumer would see), and the apps started
 * on it with the test settings. Registered as a static {@code @RegisterExtension} field ({@link #perClass()}) it
 * starts before the class's tests and stops after them.
 */
final class EndToEndCluster extends TestStack {

    static final int PARTITIONS = BrokerStack.PARTITIONS;
    static final String GATEWAY_API_KEY = "sk_test_meterflow_e2e";

    private final BrokerStack broker;

    private EndToEndCluster(BrokerStack broker) {
        super(Scope.CLASS);
        this.broker = broker;
    }

    /** The cluster every test of the class shares. */
    static EndToEndCluster perClass() {
        return new EndToEndCluster(BrokerStack.perClass());
    }

    /**
     * Takes over a broker started by the caller (for example with a SASL_SSL listener) and creates the topics;
     * the test's own producer, readers and admin use its PLAINTEXT listener.
     */
    static EndToEndCluster start(EmbeddedKafka kafka) {
        EndToEndCluster cluster = new EndToEndCluster(BrokerStack.adopting(kafka));
        cluster.start();
        return cluster;
    }

    @Override
    protected void startParts() {
        broker.start();
    }

    @Override
    protected void stopParts() {
        broker.close();
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    // ---- writing and reading: the broker stack's ----------------------------------------------------------

    <V> RecordMetadata publish(Topic<String, V> topic, String key, V value) {
        return broker.publish(topic, key, value);
    }

    <V> Future<RecordMetadata> send(Topic<String, V> topic, String key, V value) {
        return broker.send(topic, key, value);
    }

    RecordMetadata publishRaw(String topic, String key, byte[] value) {
        return broker.publishRaw(topic, key, value);
    }

    void flush() {
        broker.flush();
    }

    <V> List<V> values(Topic<String, V> topic, String key) {
        return broker.values(topic, key);
    }

    <V> Optional<V> latest(Topic<String, V> topic, String key) {
        return broker.latest(topic, key);
    }

    List<ConsumerRecord<byte[], byte[]>> records(String topic, IsolationLevel isolation) {
        return broker.records(topic, isolation);
    }

    static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return BrokerStack.keyOf(record);
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return BrokerStack.header(record, name);
    }

    Map<TopicPartition, Long> openTransactionLag(String topic) {
        return broker.openTransactionLag(topic);
    }

    Map<TopicPartition, Long> endOffsets(String topic, IsolationLevel isolation) {
        return broker.endOffsets(topic, isolation);
    }

    Map<TopicPartition, Long> committedOffsets(String groupId, String topic) {
        return broker.committedOffsets(groupId, topic);
    }

    // ---- usage, and what the ledger debited for it ---------------------------------------------------------

    /**
     * Usage of one local minute per event at {@code occurredAt}, round-robin over {@code accounts}, event {@code i}
     * with the id {@code String.format(idFormat, i)}.
     */
    static LocalMinutes localMinutes(String idFormat, List<String> accounts, Instant occurredAt) {
        return new LocalMinutes(idFormat, accounts, occurredAt);
    }

    record LocalMinutes(String idFormat, List<String> accounts, Instant occurredAt) {

        /** Events {@code from} (inclusive) to {@code to} (exclusive). */
        List<UsageEvent> events(int from, int to) {
            return IntStream.range(from, to).mapToObj(i -> LiveRecords.aUsageEvent().withEventId(eventId(i))
                    .forAccount(accounts.get(i % accounts.size())).sku(LOCAL_MINUTES).minutes(1).at(occurredAt)
                    .build()).toList();
        }

        String eventId(int i) {
            return String.format(idFormat, i);
        }
    }

    /** Sends usage keyed by its account, and waits until every record is acknowledged. */
    void sendUsage(List<UsageEvent> events) {
        events.forEach(event -> send(Topics.USAGE_EVENTS, event.getAccountId(), event));
        flush();
    }

    /** The event ids of the USAGE entries on {@code ledger-entries}, as a {@code read_committed} consumer sees them. */
    List<String> debitedUsageEventIds() {
        return debitedUsageEventIds(records(Topics.LEDGER_ENTRIES.name(), IsolationLevel.READ_COMMITTED));
    }

    /** The same, of {@code ledger-entries} records read from another broker (one in a process of its own). */
    static List<String> debitedUsageEventIds(List<ConsumerRecord<byte[], byte[]>> ledgerEntries) {
        return ledgerEntries.stream()
                .map(record -> Topics.LEDGER_ENTRIES.valueSerde().deserializer()
                        .deserialize(Topics.LEDGER_ENTRIES.name(), record.value()))
                .filter(entry -> entry.getKind() == LedgerEntryKind.USAGE)
                .map(LedgerEntry::getSourceId)
                .toList();
    }

    // ---- the apps ------------------------------------------------------------------------------------------

    /** The metering topology's settings for this cluster: 100 ms commits, state under {@code stateDir}. */
    Properties meteringProperties(String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.setProperty(MeteringConfig.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers());
        props.setProperty(MeteringConfig.APPLICATION_ID.name(), applicationId);
        props.setProperty(MeteringConfig.STATE_DIR.name(), stateDir.toString());
        props.setProperty(MeteringConfig.COMMIT_INTERVAL_MS.name(), "100");
        return props;
    }

    MeteringService startMetering(String applicationId, Path stateDir) {
        return startMetering(meteringProperties(applicationId, stateDir));
    }

    MeteringService startMetering(Properties props) {
        return new MeteringService(MeteringConfig.from(props)).start();
    }

    /** The recharge worker charging through the simulator with Stripe's own client, with short retry intervals. */
    RechargeWorkerService startWorker(GatewaySimulator gateway) {
        return startWorker(gateway, new Properties());
    }

    /**
     * The same, with Kafka client settings on top ({@code bootstrap.servers}, {@code security.protocol},
     * {@code sasl.jaas.config}, ...), as the worker's configuration file would give them.
     */
    RechargeWorkerService startWorker(GatewaySimulator gateway, Properties kafkaClient) {
        Properties props = new Properties();
        props.setProperty(WorkerConfig.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers());
        props.setProperty(WorkerConfig.GATEWAY_BASE_URL.name(), gateway.baseUrl());
        props.setProperty(WorkerConfig.GATEWAY_API_KEY.name(), GATEWAY_API_KEY);
        props.setProperty(WorkerConfig.GATEWAY_RATE_LIMIT.name(), "200");
        props.setProperty(WorkerConfig.UNKNOWN_RETRY_BACKOFF.name(), "PT0.1S");
        props.setProperty(WorkerConfig.RECONCILE_INTERVAL.name(), "PT1S");
        props.setProperty(WorkerConfig.SHUTDOWN_TIMEOUT.name(), "PT5S");
        props.putAll(kafkaClient);
        WorkerConfig config = WorkerConfig.from(props);
        return RechargeWorkerService.start(config, new StripeGateway(config.gatewayApiKey(),
                config.get(WorkerConfig.GATEWAY_BASE_URL), Duration.ofSeconds(10)));
    }

}
