package dev.meterflow.worker.attempts;

import dev.meterflow.serde.SchemaStore;
import dev.meterflow.serde.SingleObjectSerde;
import dev.meterflow.worker.recharge.Attempt;
import dev.meterflow.worker.state.AttemptRecord;
import dev.meterflow.worker.state.RechargeAttemptLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempt log on a compacted Kafka topic keyed by request id. Every write waits for the broker's
 * acknowledgement (acks=all, idempotent producer) before returning, so an attempt is on record before the
 * gateway is called. At start-up the whole topic is read back into memory.
 */
public final class KafkaAttemptStore extends InMemoryAttemptStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaAttemptStore.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> reader;
    private final SingleObjectSerde<RechargeAttemptLog> serde =
            new SingleObjectSerde<>(RechargeAttemptLog.class, new SchemaStore());

    private KafkaAttemptStore(String topic, KafkaProducer<String, byte[]> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    /** Reads the whole attempt log, then returns a store that appends to it. */
    public static KafkaAttemptStore open(Map<String, Object> clientConfig, String topic) {
        Properties producerProps = new Properties();
        producerProps.putAll(clientConfig);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "recharge-attempt-log");
        KafkaAttemptStore store = new KafkaAttemptStore(topic,
                new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer()));
        store.load(clientConfig);
        return store;
    }

    @Override
    public void record(AttemptLogEntry entry) {
        byte[] value = serde.serialize(topic, toRecord(entry));
        try {
            producer.send(new ProducerRecord<>(topic, entry.requestId(), value))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording an attempt of " + entry.requestId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot record an attempt of request '" + entry.requestId()
                    + "' on " + topic + ": " + e.getMessage(), e);
        }
        remember(entry);
    }

    private void load(Map<String, Object> clientConfig) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "recharge-attempt-log-reader");
        reader = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = reader.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        int loaded = readToEnd();
        log.info("attempt log loaded topic={} records={} requests={}", topic, loaded, size());
    }

    /**
     * Reads what other instances wrote since the last read (before working on newly assigned partitions).
     * An entry only replaces a less advanced one: attempts only grow, and a completion is final.
     */
    public synchronized void catchUp() {
        int read = readToEnd();
        log.info("attempt log caught up topic={} records={}", topic, read);
    }

    private synchronized int readToEnd() {
        Map<TopicPartition, Long> end = reader.endOffsets(reader.assignment());
        int read = 0;
        while (end.entrySet().stream().anyMatch(e -> reader.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                if (record.value() == null) {
                    continue;
                }
                try {
                    AttemptLogEntry entry = fromRecord(serde.deserialize(topic, record.value()));
                    if (find(entry.requestId()).map(known -> isBehind(known, entry)).orElse(true)) {
                        remember(entry);
                    }
                    read++;
                } catch (SerializationException e) {
                    // an attempt log we cannot read could hide a charge: refuse to go on rather than guess
                    throw new IllegalStateException("unreadable attempt-log record at " + topic + "-"
                            + record.partition() + "@" + record.offset() + ": " + e.getMessage(), e);
                }
            }
        }
        return read;
    }

    /** Whether {@code known} is less advanced than {@code candidate}. */
    private static boolean isBehind(AttemptLogEntry known, AttemptLogEntry candidate) {
        if (known.isCompleted()) {
            return false;
        }
        if (candidate.isCompleted() || candidate.attempts().size() > known.attempts().size()) {
            return true;
        }
        return candidate.attempts().size() == known.attempts().size() && !candidate.attempts().isEmpty()
                && known.attempts().get(known.attempts().size() - 1).outcome() == null
                && candidate.attempts().get(candidate.attempts().size() - 1).outcome() != null;
    }

    private static RechargeAttemptLog toRecord(AttemptLogEntry entry) {
        return RechargeAttemptLog.newBuilder()
                .setRequestId(entry.requestId())
                .setAccountId(entry.accountId())
                .setAmountCents(entry.amountCents())
                .setAttempts(entry.attempts().stream().map(attempt -> AttemptRecord.newBuilder()
                        .setPaymentMethodId(attempt.paymentMethodId())
                        .setIdempotencyKey(attempt.idempotencyKey())
                        .setOutcome(attempt.outcome() == null ? null : attempt.outcome().name())
                        .setDeclineCode(attempt.declineCode())
                        .setGatewayReference(attempt.gatewayReference())
                        .setChargeId(attempt.chargeId())
                        .setAt(attempt.atMillis())
                        .build()).toList())
                .setCompletedStatus(entry.completedStatus())
                .build();
    }

    private static AttemptLogEntry fromRecord(RechargeAttemptLog record) {
        List<Attempt> attempts = record.getAttempts().stream().map(a -> new Attempt(a.getPaymentMethodId(),
                a.getIdempotencyKey(), a.getOutcome() == null ? null : Attempt.Outcome.valueOf(a.getOutcome()),
                a.getDeclineCode(), a.getGatewayReference(), a.getChargeId(), a.getAt())).toList();
        return new AttemptLogEntry(record.getRequestId(), record.getAccountId(), record.getAmountCents(), attempts,
                record.getCompletedStatus());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        synchronized (this) {
            reader.close(Duration.ofSeconds(5));
        }
    }
}
