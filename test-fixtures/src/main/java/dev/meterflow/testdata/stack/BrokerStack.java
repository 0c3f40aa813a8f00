package dev.meterflow.testdata.stack;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
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
 * One real KRaft broker in this JVM ({@link EmbeddedKafka}) with the contract's topics ({@link Topics#ALL}, or the
 * ones given), two partitions each and compacted where the registry says so; a producer that waits for the
 * broker's acknowledgement; readers that see what a consumer of the given isolation would see. Its data directory is
 * its own, kept across {@link #stopBroker()} and {@link #startBroker()} (same ports, same data) and deleted at close.
 */
public final class BrokerStack extends TestStack {

    /** The partitions of every topic the stack creates. */
    public static final int PARTITIONS = 2;

    private Collection<? extends Topic<?, ?>> topics = Topics.ALL;
    private EmbeddedKafka adopted;
    private Path dataDir;
    private EmbeddedKafka kafka;
    private KafkaProducer<byte[], byte[]> producer;
    private Admin admin;

    private BrokerStack(Scope scope) {
        super(scope);
    }

    /** A broker every test of the class shares: a static {@code @RegisterExtension} field. */
    public static BrokerStack perClass() {
        return new BrokerStack(Scope.CLASS);
    }

    /** A fresh broker for each test: an instance {@code @RegisterExtension} field. */
    public static BrokerStack perTest() {
        return new BrokerStack(Scope.TEST);
    }

    /**
     * Takes over a broker the caller started (for example with a SASL_SSL listener): the stack creates its topics,
     * uses its PLAINTEXT listener and stops it at close; it cannot restart it.
     */
    public static BrokerStack adopting(EmbeddedKafka broker) {
        BrokerStack stack = new BrokerStack(Scope.CLASS);
        stack.adopted = broker;
        return stack;
    }

    /** Creates these topics instead of every topic of the contract. */
    public BrokerStack withTopics(Collection<? extends Topic<?, ?>> topics) {
        this.topics = List.copyOf(topics);
        return this;
    }

    @Override
    protected void startParts() {
        if (adopted != null) {
            kafka = adopted;
        } else {
            try {
                dataDir = Files.createTempDirectory("broker-stack-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the broker's data directory", e);
            }
            startBroker();
        }
        kafka.createTopics(topics.stream()
                .map(topic -> new EmbeddedKafka.TopicSpec(topic.name(), PARTITIONS, topic.compacted())).toList());
    }

    @Override
    protected void stopParts() {
        if (kafka != null) {
            stopBroker();
        }
        if (dataDir != null) {
            deleteRecursively(dataDir);
            dataDir = null;
        }
    }

    /** Stops the broker (and the stack's producer), keeping its data for {@link #startBroker()}. */
    public synchronized void stopBroker() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        kafka.close();
        kafka = null;
    }

    /** Starts the broker again on its data, with the same ports, after {@link #stopBroker()}. */
    public void startBroker() {
        if (kafka != null || dataDir == null) {
            throw new IllegalStateException(kafka != null ? "the broker is already running"
                    : "a broker the stack adopted cannot be started again");
        }
        kafka = EmbeddedKafka.start(dataDir);
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** A new admin client of the broker; the caller closes it. */
    public Admin admin() {
        return broker().admin();
    }

    // ---- writing -------------------------------------------------------------------------------------------

    /** Sends and waits for the broker's acknowledgement; the record time is now. */
    public <V> RecordMetadata publish(Topic<String, V> topic, String key, V value) {
        return await(send(topic, key, value));
    }

    /** Sends without waiting (call {@link #flush()}); the record time is now. */
    public <V> Future<RecordMetadata> send(Topic<String, V> topic, String key, V value) {
        return sendRaw(topic.name(), null, key, topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    /** Sends bytes as they are (a {@code null} value is a tombstone) and waits for the acknowledgement. */
    public RecordMetadata publishRaw(String topic, String key, byte[] value) {
        return await(sendRaw(topic, null, key, value));
    }

    /** The same, to one partition ({@code null}: the key's). */
    public RecordMetadata publishRaw(String topic, Integer partition, String key, byte[] value) {
        return await(sendRaw(topic, partition, key, value));
    }

    private Future<RecordMetadata> sendRaw(String topic, Integer partition, String key, byte[] value) {
        return producer().send(new ProducerRecord<>(topic, partition, System.currentTimeMillis(),
                key.getBytes(StandardCharsets.UTF_8), value));
    }

    public void flush() {
        producer().flush();
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    // ---- reading -------------------------------------------------------------------------------------------

    /** The values committed for one key, in the order they were written (one key lives in one partition). */
    public <V> List<V> values(Topic<String, V> topic, String key) {
        return records(topic.name()).stream()
                .filter(record -> key.equals(keyOf(record)))
                .map(record -> topic.valueSerde().deserializer().deserialize(topic.name(), record.value()))
                .collect(Collectors.toList());
    }

    /** Every value committed on the topic, partition by partition. */
    public <V> List<V> values(Topic<?, V> topic) {
        return records(topic.name()).stream()
                .map(record -> topic.valueSerde().deserializer().deserialize(topic.name(), record.value()))
                .collect(Collectors.toList());
    }

    /** The last committed value for a key. */
    public <V> Optional<V> latest(Topic<String, V> topic, String key) {
        List<V> all = values(topic, key);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Every committed record of a topic up to its end when the read starts. */
    public List<ConsumerRecord<byte[], byte[]>> records(String topic) {
        return records(topic, IsolationLevel.READ_COMMITTED);
    }

    /** Every record on a topic up to its end when the read starts, as a consumer with this isolation sees it. */
    public List<ConsumerRecord<byte[], byte[]>> records(String topic, IsolationLevel isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            TopicReader.readToEnd(consumer, topic, records::add);
            return records;
        }
    }

    public static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    // ---- offsets -------------------------------------------------------------------------------------------

    /**
     * Per partition: the high watermark minus the last stable offset, that is how far records of a transaction
     * that is still open reach past what {@code read_committed} consumers may see. Zero everywhere: no open
     * transaction writes to this topic.
     */
    public Map<TopicPartition, Long> openTransactionLag(String topic) {
        Map<TopicPartition, Long> highWatermarks = endOffsets(topic, IsolationLevel.READ_UNCOMMITTED);
        Map<TopicPartition, Long> lastStable = endOffsets(topic, IsolationLevel.READ_COMMITTED);
        return highWatermarks.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> entry.getValue() - lastStable.get(entry.getKey())));
    }

    /** The log end offset of every partition: past its last record and transaction marker. */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        return endOffsets(topic, IsolationLevel.READ_UNCOMMITTED);
    }

    /** The end offsets as a consumer with this isolation sees them (the last stable offset for read_committed). */
    public Map<TopicPartition, Long> endOffsets(String topic, IsolationLevel isolation) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        await(sharedAdmin().listOffsets(latest, new ListOffsetsOptions(isolation)).all())
                .forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    /** The offsets a consumer group (a Kafka Streams application id) has committed on one topic. */
    public Map<TopicPartition, Long> committedOffsets(String groupId, String topic) {
        Map<TopicPartition, OffsetAndMetadata> all =
                await(sharedAdmin().listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        all.forEach((partition, offset) -> {
            if (partition.topic().equals(topic) && offset != null) {
                offsets.put(partition, offset.offset());
            }
        });
        return offsets;
    }

    private synchronized Admin sharedAdmin() {
        if (admin == null) {
            admin = admin();
        }
        return admin;
    }

    private EmbeddedKafka broker() {
        requireRunning();
        if (kafka == null) {
            throw new IllegalStateException("the broker is stopped: startBroker() first");
        }
        return kafka;
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
