package dev.meterflow.worker.attempts;

import dev.meterflow.kafka.HangingTransactionAborter;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.serde.SingleObjectSerde;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.recharge.Attempt;
import dev.meterflow.worker.state.AttemptRecord;
import dev.meterflow.worker.state.RechargeAttemptLog;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempt log on a compacted Kafka topic keyed by request id. Every write of an attempt waits for the broker's
 * acknowledgement (acks=all, idempotent producer) before returning, for as long as the broker is away, so an attempt
 * is on record before the gateway is called. A request's completion mark is written by the worker's transactional
 * producer, in the transaction that publishes its outputs ({@link #completionRecord}), so the log is read
 * {@code read_committed}: an aborted transaction's mark is never seen. At start-up the whole topic is read back into
 * memory.
 */
public final class KafkaAttemptStore extends InMemoryAttemptStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaAttemptStore.class);
    /** How long the broker may take to answer a listing of the log's end offsets. */
    private static final Duration LIST_OFFSETS_TIMEOUT = Duration.ofSeconds(30);
    /** A write waiting longer than this is reported (one WARN line per interval) and makes the worker not ready. */
    private static final Duration WRITE_WAIT_REPORT = Duration.ofSeconds(10);
    /**
     * How long a read of the log waits for a transaction open on it to end: far above the workers' transaction
     * timeout (seconds), after which the broker aborts it.
     */
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final PatientWriter writer;
    private final Optional<HangingTransactionAborter> aborter;
    /** How long a read may stand still below the end offsets before the aborter is asked, and then how often. */
    private final Duration askAfter;
    private KafkaConsumer<String, byte[]> reader;
    private Admin admin;
    /** Reads the released versions of the log's record too, so an upgraded worker reads what its predecessor wrote. */
    private final SingleObjectSerde<RechargeAttemptLog> serde =
            new SingleObjectSerde<>(RechargeAttemptLog.class, AttemptLogSchemas.released());

    private KafkaAttemptStore(String topic, KafkaProducer<String, byte[]> producer,
            Optional<HangingTransactionAborter> aborter, Duration askAfter) {
        this.topic = topic;
        this.producer = producer;
        this.aborter = aborter;
        this.askAfter = askAfter;
        this.writer = new PatientWriter(producer, WRITE_WAIT_REPORT, Clock.systemUTC());
    }

    /**
     * Reads the whole attempt log, then returns a store that appends to it. Open it after the worker's
     * {@code initTransactions}: a transaction its predecessor left open is then aborted, not waited for.
     */
    public static KafkaAttemptStore open(Map<String, Object> clientConfig, String topic) {
        return open(clientConfig, topic, Optional.empty(), READ_TIMEOUT);
    }

    /**
     * As {@link #open(Map, String)}; a read that stands still below the log's end offsets for {@code askAfter}
     * (longer than the producers' transaction timeout, after which no live transaction is still open) asks
     * {@code aborter} to end the hanging transactions on the partitions still behind, once per {@code askAfter}.
     */
    public static KafkaAttemptStore open(Map<String, Object> clientConfig, String topic,
            Optional<HangingTransactionAborter> aborter, Duration askAfter) {
        Properties producerProps = new Properties();
        producerProps.putAll(clientConfig);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "recharge-attempt-log");
        // a send waits this long for metadata, then PatientWriter reports and sends again
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WRITE_WAIT_REPORT.toMillis());
        KafkaAttemptStore store = new KafkaAttemptStore(topic,
                new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer()), aborter,
                askAfter);
        store.load(clientConfig);
        return store;
    }

    /** Returns once the entry is acknowledged, waiting out a broker outage of any length ({@link PatientWriter}). */
    @Override
    public void record(AttemptLogEntry entry) {
        byte[] value = serde.serialize(topic, toRecord(entry));
        Attempt last = entry.attempts().isEmpty() ? null : entry.attempts().get(entry.attempts().size() - 1);
        writer.write(new ProducerRecord<>(topic, entry.requestId(), value),
                last != null && last.outcome() != null ? "after the gateway answered" : "before the gateway call");
        remember(entry);
    }

    /**
     * Why the attempt log cannot be written now (a write has waited for the broker longer than
     * {@link #WRITE_WAIT_REPORT}), empty when it can: the worker is not ready meanwhile.
     */
    public Optional<String> writeBlockedReason() {
        return writer.blockedReason();
    }

    /**
     * The completion mark of a request, for the worker to write in the transaction that publishes its outputs;
     * {@link #committed} once that transaction has committed.
     */
    public ProducerRecord<String, byte[]> completionRecord(AttemptLogEntry completed) {
        return new ProducerRecord<>(topic, completed.requestId(), serde.serialize(topic, toRecord(completed)));
    }

    /**
     * The parking mark of a request whose bank debit is processing (issue 10 §2), for the worker to write in the
     * transaction that moves the consumer's offset past it; {@link #committed} once that transaction has committed.
     */
    public ProducerRecord<String, byte[]> parkingRecord(AttemptLogEntry parked) {
        return completionRecord(parked);
    }

    /** A completion or parking mark written in a transaction is committed: later reads find it. */
    public void committed(AttemptLogEntry completed) {
        remember(completed);
    }

    private void load(Map<String, Object> clientConfig) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "recharge-attempt-log-reader");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        reader = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        Properties adminProps = new Properties();
        adminProps.putAll(clientConfig);
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "recharge-attempt-log-admin");
        admin = Admin.create(adminProps);
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

    /**
     * Reads up to the log end offsets as they are now, past every record written so far: attempts written after a
     * transaction opened show only once it ends, so this waits for the open ones (up to {@link #READ_TIMEOUT}). A
     * transaction no coordinator will end (a broker killed mid-transaction can leave one) is aborted meanwhile by the
     * aborter, when there is one.
     */
    private synchronized int readToEnd() {
        Map<TopicPartition, Long> end = logEndOffsets(reader.assignment());
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        Map<TopicPartition, Long> positions = positions(end.keySet());
        long stillSince = System.nanoTime();
        int read = 0;
        while (!behind(end).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the attempt log " + topic + " did not reach its end offsets " + end
                        + " within " + READ_TIMEOUT + ": a transaction on it stays open; refusing to work from a "
                        + "partial log");
            }
            read += readBatch();
            Map<TopicPartition, Long> now = positions(end.keySet());
            if (!now.equals(positions)) {
                positions = now;
                stillSince = System.nanoTime();
            } else if (System.nanoTime() - stillSince > askAfter.toNanos()) {
                askAboutHangingTransactions(behind(end), end);
                stillSince = System.nanoTime();
            }
        }
        return read;
    }

    private int readBatch() {
        int read = 0;
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
        return read;
    }

    private Map<TopicPartition, Long> positions(Set<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        partitions.forEach(partition -> positions.put(partition, reader.position(partition)));
        return positions;
    }

    private Set<TopicPartition> behind(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().filter(e -> reader.position(e.getKey()) < e.getValue())
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    private void askAboutHangingTransactions(Set<TopicPartition> behind, Map<TopicPartition, Long> end) {
        if (aborter.isEmpty()) {
            log.warn("attempt log read standing still topic='{}' behind='{}' end='{}' stillFor='{}': no hanging "
                    + "transaction is aborted (switched off)", topic, behind, end, askAfter);
            return;
        }
        String answer = aborter.get().abortHanging(behind);
        log.warn("attempt log read standing still topic='{}' behind='{}' end='{}' stillFor='{}' "
                + "hangingTransactions='{}'", topic, behind, end, askAfter, answer.isEmpty() ? "none open" : answer);
    }

    private Map<TopicPartition, Long> logEndOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        try {
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                    .get(LIST_OFFSETS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> end.put(partition, info.offset()));
            return end;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the end of " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code known} is less advanced than {@code candidate}: completed beats everything, then more attempts,
     * then a last attempt further along (in flight, then processing at the bank, then answered), then parked.
     */
    private static boolean isBehind(AttemptLogEntry known, AttemptLogEntry candidate) {
        if (known.isCompleted()) {
            return false;
        }
        if (candidate.isCompleted() || candidate.attempts().size() != known.attempts().size()) {
            return candidate.isCompleted() || candidate.attempts().size() > known.attempts().size();
        }
        if (!candidate.attempts().isEmpty()) {
            int knownStage = stage(known.attempts().get(known.attempts().size() - 1));
            int candidateStage = stage(candidate.attempts().get(candidate.attempts().size() - 1));
            if (knownStage != candidateStage) {
                return candidateStage > knownStage;
            }
        }
        return candidate.isParked() && !known.isParked();
    }

    private static int stage(Attempt attempt) {
        if (attempt.outcome() == null) {
            return 0;
        }
        return attempt.processing() ? 1 : 2;
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
                .setCardDetails(Map.copyOf(entry.cardDetails()))
                .setParkedRequest(entry.parkedRequest() == null ? null : ByteBuffer.wrap(Topics.RECHARGE_REQUESTS
                        .valueSerde().serializer().serialize(Topics.RECHARGE_REQUESTS.name(), entry.parkedRequest())))
                .setParkedPartition(entry.parkedRequest() == null ? null : entry.parkedPartition())
                .build();
    }

    private static AttemptLogEntry fromRecord(RechargeAttemptLog record) {
        List<Attempt> attempts = record.getAttempts().stream().map(a -> new Attempt(a.getPaymentMethodId(),
                a.getIdempotencyKey(), a.getOutcome() == null ? null : Attempt.Outcome.valueOf(a.getOutcome()),
                a.getDeclineCode(), a.getGatewayReference(), a.getChargeId(), a.getAt())).toList();
        Map<String, String> cardDetails = record.getCardDetails().entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(e -> e.getKey().toString(), e -> e.getValue().toString()));
        return new AttemptLogEntry(record.getRequestId(), record.getAccountId(), record.getAmountCents(), attempts,
                record.getCompletedStatus(), cardDetails, parkedRequest(record),
                record.getParkedPartition() == null ? -1 : record.getParkedPartition());
    }

    private static RechargeRequest parkedRequest(RechargeAttemptLog record) {
        ByteBuffer bytes = record.getParkedRequest();
        if (bytes == null) {
            return null;
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return Topics.RECHARGE_REQUESTS.valueSerde().deserializer().deserialize(Topics.RECHARGE_REQUESTS.name(), copy);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        synchronized (this) {
            reader.close(Duration.ofSeconds(5));
            admin.close(Duration.ofSeconds(5));
        }
    }
}
