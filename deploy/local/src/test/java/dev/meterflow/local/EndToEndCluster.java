package dev.meterflow.local;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.metering.MeteringService;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.RechargeWorkerService;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.stripe.StripeGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What an end-to-end test class shares: one real KRaft broker with every topic of the contract (two partitions
 * each, compacted where the registry says so), a producer that stamps records with the current time, and
 * readers that see what a {@code read_committed} consumer (the data team, the worker) would see.
 */
final class EndToEndCluster implements AutoCloseable {

    static final int PARTITIONS = 2;
    static final String GATEWAY_API_KEY = "sk_test_meterflow_e2e";

    private final EmbeddedKafka kafka;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;

    private EndToEndCluster(EmbeddedKafka kafka) {
        this.kafka = kafka;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.admin = kafka.admin();
    }

    static EndToEndCluster start() {
        return start(EmbeddedKafka.start(null));
    }

    /**
     * Takes over a broker started by the caller (for example with a SASL_SSL listener) and creates the topics;
     * the test's own producer, readers and admin use its PLAINTEXT listener.
     */
    static EndToEndCluster start(EmbeddedKafka kafka) {
        kafka.createTopics(Topics.ALL.stream()
                .map(topic -> new EmbeddedKafka.TopicSpec(topic.name(), PARTITIONS, topic.compacted())).toList());
        return new EndToEndCluster(kafka);
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    // ---- writing -------------------------------------------------------------------------------------------

    /** Sends and waits for the broker's acknowledgement; the record time is now. */
    <V> RecordMetadata publish(Topic<String, V> topic, String key, V value) {
        return await(send(topic, key, value));
    }

    /** Sends without waiting (call {@link #flush()}); the record time is now. */
    <V> Future<RecordMetadata> send(Topic<String, V> topic, String key, V value) {
        return sendRaw(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    /** Sends bytes as they are (a {@code null} value is a tombstone) and waits for the acknowledgement. */
    RecordMetadata publishRaw(String topic, String key, byte[] value) {
        return await(sendRaw(topic, key, value));
    }

    private Future<RecordMetadata> sendRaw(String topic, String key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(),
                key.getBytes(StandardCharsets.UTF_8), value));
    }

    void flush() {
        producer.flush();
    }

    // ---- reading -------------------------------------------------------------------------------------------

    /** The values committed for one key, in the order they were written (one key lives in one partition). */
    <V> List<V> values(Topic<String, V> topic, String key) {
        return records(topic.name(), IsolationLevel.READ_COMMITTED).stream()
                .filter(record -> key.equals(keyOf(record)))
                .map(record -> topic.valueSerde().deserializer().deserialize(topic.name(), record.value()))
                .collect(Collectors.toList());
    }

    /** The last committed value for a key. */
    <V> Optional<V> latest(Topic<String, V> topic, String key) {
        List<V> all = values(topic, key);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Every record on a topic up to its end when the read starts, as a consumer with this isolation sees it. */
    List<ConsumerRecord<byte[], byte[]>> records(String topic, IsolationLevel isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            TopicReader.readToEnd(consumer, topic, records::add);
            return records;
        }
    }

    static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * Per partition: the high watermark minus the last stable offset, that is how far records of a transaction
     * that is still open reach past what {@code read_committed} consumers may see. Zero everywhere: no open
     * transaction writes to this topic.
     */
    Map<TopicPartition, Long> openTransactionLag(String topic) {
        Map<TopicPartition, Long> highWatermarks = endOffsets(topic, IsolationLevel.READ_UNCOMMITTED);
        Map<TopicPartition, Long> lastStable = endOffsets(topic, IsolationLevel.READ_COMMITTED);
        return highWatermarks.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> entry.getValue() - lastStable.get(entry.getKey())));
    }

    /** The end offsets as a consumer with this isolation sees them (the last stable offset for read_committed). */
    Map<TopicPartition, Long> endOffsets(String topic, IsolationLevel isolation) {
        Map<TopicPartition, OffsetSpec> latest = partitions(topic).stream()
                .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest()));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        await(admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all())
                .forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    /** The offsets a consumer group (a Kafka Streams application id) has committed on one topic. */
    Map<TopicPartition, Long> committedOffsets(String groupId, String topic) {
        Map<TopicPartition, OffsetAndMetadata> all =
                await(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        all.forEach((partition, offset) -> {
            if (partition.topic().equals(topic) && offset != null) {
                offsets.put(partition, offset.offset());
            }
        });
        return offsets;
    }

    private List<TopicPartition> partitions(String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            partitions.add(new TopicPartition(topic, partition));
        }
        return partitions;
    }

    // ---- the apps ------------------------------------------------------------------------------------------

    /** The metering topology's settings for this cluster: 100 ms commits, state under {@code stateDir}. */
    Properties meteringProperties(String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.setProperty(MeteringConfig.BOOTSTRAP_SERVERS.name(), kafka.bootstrapServers());
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
        props.setProperty(WorkerConfig.BOOTSTRAP_SERVERS.name(), kafka.bootstrapServers());
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

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        kafka.close();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }
}
