package dev.meterflow.api.notify;

import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code receipts} and {@code billing-notifications} ({@code read_committed}, consumer group
 * {@code meterflow-notifier}) and sends their emails and texts through the {@link Dispatcher}; checks the statement
 * schedules once a minute. Kafka's committed offsets only save work: the sent log decides what was sent, so a
 * record read again is not sent again. A message the mail server refuses stops the batch at that record, which is
 * read again after {@code retryAfter} (30 seconds by default).
 */
public final class Notifier implements Runnable, AutoCloseable {

    public static final String GROUP_ID = "meterflow-notifier";
    public static final Duration RETRY_AFTER = Duration.ofSeconds(30);
    private static final Duration SCHEDULE_CHECK = Duration.ofMinutes(1);
    private static final Duration REQUEST_CHECK = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Dispatcher dispatcher;
    private final StatementDeliveries deliveries;
    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration retryAfter;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Instant nextScheduleCheck = Instant.MIN;
    private Instant nextRequestCheck = Instant.MIN;
    private Instant pausedUntil = Instant.MIN;

    public Notifier(Properties kafkaProperties, Jdbi jdbi, Dispatcher dispatcher, StatementDeliveries deliveries,
                    Clock clock, Duration retryAfter) {
        Properties props = new Properties();
        props.putAll(kafkaProperties);
        props.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.jdbi = jdbi;
        this.dispatcher = dispatcher;
        this.deliveries = deliveries;
        this.clock = clock;
        this.retryAfter = retryAfter;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.RECEIPTS.name(), Topics.BILLING_NOTIFICATIONS.name()));
            while (running.get()) {
                sendDueStatements();
                sendRequestedStatements();
                var records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty() && clock.instant().isAfter(pausedUntil)) {
                    handle(records);
                } else if (!records.isEmpty()) {
                    rewind(records.partitions().stream().collect(java.util.stream.Collectors.toMap(p -> p,
                            p -> records.records(p).get(0).offset())));
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
            log.info("notifier stopped");
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }

    private void handle(org.apache.kafka.clients.consumer.ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        Map<TopicPartition, Long> retry = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (retry.containsKey(partition)) {
                continue;
            }
            try {
                send(record);
                done.put(partition, new OffsetAndMetadata(record.offset() + 1));
            } catch (RuntimeException e) {
                log.warn("notification not sent, retrying later topic='{}' partition={} offset={} retryAfter='{}'"
                        + " reason='{}'", record.topic(), record.partition(), record.offset(), retryAfter,
                        e.getMessage());
                retry.put(partition, record.offset());
                pausedUntil = clock.instant().plus(retryAfter);
            }
        }
        if (!done.isEmpty()) {
            consumer.commitSync(done);
        }
        rewind(retry);
    }

    private void rewind(Map<TopicPartition, Long> offsets) {
        offsets.forEach(consumer::seek);
    }

    private void send(ConsumerRecord<byte[], byte[]> record) {
        Object value;
        try {
            value = record.value() == null ? null : Topics.RECEIPTS.name().equals(record.topic())
                    ? Topics.RECEIPTS.valueSerde().deserializer().deserialize(record.topic(), record.value())
                    : Topics.BILLING_NOTIFICATIONS.valueSerde().deserializer().deserialize(record.topic(),
                    record.value());
        } catch (RuntimeException e) {
            skip(record, e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        if (value instanceof Receipt receipt) {
            Messages.receipt(receipt).ifPresent(dispatcher::email);
        } else if (value instanceof BillingNotification notice) {
            Messages.notice(notice).ifPresent(dispatcher::email);
            Messages.sms(notice).forEach(dispatcher::sms);
        } else {
            skip(record, "record without a value");
        }
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, String reason) {
        log.warn("notifier skipped a record topic='{}' partition={} offset={} reason='{}'", record.topic(),
                record.partition(), record.offset(), reason);
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO notifier_skipped (topic, partition_no, record_offset, reason, skipped_at)
                        VALUES (:topic, :partition, :offset, :reason, :at) ON CONFLICT DO NOTHING""")
                .bind("topic", record.topic()).bind("partition", record.partition()).bind("offset", record.offset())
                .bind("reason", reason).bind("at", clock.instant()).execute());
    }

    private void sendRequestedStatements() {
        Instant now = clock.instant();
        if (now.isBefore(nextRequestCheck)) {
            return;
        }
        try {
            deliveries.sendRequested();
        } catch (RuntimeException e) {
            log.warn("requested statements not sent, retrying at the next check reason='{}'", e.getMessage());
        }
        nextRequestCheck = now.plus(REQUEST_CHECK);
    }

    private void sendDueStatements() {
        Instant now = clock.instant();
        if (now.isBefore(nextScheduleCheck)) {
            return;
        }
        try {
            int sent = deliveries.sendDue();
            if (sent > 0) {
                log.info("scheduled statements sent count={}", sent);
            }
        } catch (RuntimeException e) {
            log.warn("scheduled statements not sent, retrying at the next check reason='{}'", e.getMessage());
        }
        nextScheduleCheck = now.plus(SCHEDULE_CHECK);
    }
}
