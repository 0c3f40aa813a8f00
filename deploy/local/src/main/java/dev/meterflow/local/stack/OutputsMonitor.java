package dev.meterflow.local.stack;

import dev.meterflow.metering.agency.StatusCascade;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every output topic from the beginning with {@code read_committed}, as the data team and the
 * notification consumers would, and keeps the figures the live view and the final checks need: counts of
 * what this run wrote, and the whole history's sums (a balance is the sum of every entry ever written).
 */
final class OutputsMonitor implements Runnable, AutoCloseable {

    private static final List<String> TOPICS = List.of(Topics.LEDGER_ENTRIES.name(), Topics.ACCOUNT_BALANCES.name(),
            Topics.ACCOUNT_STATUS.name(), Topics.RECHARGE_REQUESTS.name(), Topics.PAYMENT_RESULTS.name(),
            Topics.RECEIPTS.name(), Topics.USAGE_UNPRICED.name(), Topics.METERING_DLQ.name(),
            Topics.PAYMENT_RESULTS_UNMATCHED.name(), Topics.RECHARGE_REQUESTS_DLQ.name());

    private static final Set<String> MEMBERSHIP_REASONS = Set.of(StatusCascade.JOINED_AGENCY_ACTIVE,
            StatusCascade.JOINED_AGENCY_PAUSED, StatusCascade.LEFT_AGENCY);

    final AtomicLong ledgerEntries = new AtomicLong();
    final AtomicLong rechargeRequests = new AtomicLong();
    final AtomicLong rechargesSucceeded = new AtomicLong();
    final AtomicLong rechargesDeclined = new AtomicLong();
    final AtomicLong rechargesFailed = new AtomicLong();
    final AtomicLong paused = new AtomicLong();
    final AtomicLong resumed = new AtomicLong();
    final AtomicLong parked = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    /** Sum of ledger amounts per billing account. */
    final Map<String, Long> ledgerSum = new ConcurrentHashMap<>();
    /** The latest account-balances record per account. */
    final Map<String, AccountBalance> balances = new ConcurrentHashMap<>();
    /** Usage event ids debited, with how many times. */
    final Map<String, Integer> debitedEvents = new ConcurrentHashMap<>();
    /** Receipts per request id. */
    final Map<String, Integer> receipts = new ConcurrentHashMap<>();
    /** When each receipt's charge was made, by request id. */
    final Map<String, java.time.Instant> receiptChargedAt = new ConcurrentHashMap<>();
    final Set<String> requestIds = ConcurrentHashMap.newKeySet();
    final Set<String> resultIds = ConcurrentHashMap.newKeySet();

    /** Records that could not be decoded: counted and passed over, so the view goes on. */
    final AtomicLong undecodable = new AtomicLong();

    private final KafkaConsumer<String, byte[]> consumer;
    /** Where each partition ended when the run began: the counters are this run's, the sums the whole history's. */
    private final Map<TopicPartition, Long> runStart;
    private volatile boolean running = true;

    /** Assigned and positioned at once, so whatever the run writes after this is counted as the run's. */
    OutputsMonitor(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "meterflow-local-monitor");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = TOPICS.stream().flatMap(topic -> consumer.partitionsFor(topic).stream())
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        runStart = Map.copyOf(consumer.endOffsets(partitions));
        consumer.seekToBeginning(partitions);
    }

    @Override
    public void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    observeSafely(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** Anyone may write anything to these topics: a record the view cannot read is counted, never fatal. */
    private void observeSafely(ConsumerRecord<String, byte[]> record) {
        try {
            observe(record, record.offset() >= runStart.getOrDefault(
                    new TopicPartition(record.topic(), record.partition()), 0L));
        } catch (RuntimeException e) {
            undecodable.incrementAndGet();
        }
    }

    private void observe(ConsumerRecord<String, byte[]> record, boolean thisRun) {
        String topic = record.topic();
        if (topic.equals(Topics.METERING_DLQ.name()) || topic.equals(Topics.RECHARGE_REQUESTS_DLQ.name())) {
            countIf(thisRun, deadLettered);
        } else if (topic.equals(Topics.USAGE_UNPRICED.name()) || topic.equals(Topics.PAYMENT_RESULTS_UNMATCHED.name())) {
            countIf(thisRun, parked);
        } else if (record.value() == null) {
            return;
        } else if (topic.equals(Topics.LEDGER_ENTRIES.name())) {
            LedgerEntry entry = Topics.LEDGER_ENTRIES.valueSerde().deserializer().deserialize(topic, record.value());
            countIf(thisRun, ledgerEntries);
            ledgerSum.merge(entry.getAccountId(), entry.getAmountMicros(), Math::addExact);
            if (entry.getKind() == LedgerEntryKind.USAGE) {
                debitedEvents.merge(entry.getSourceId(), 1, Integer::sum);
            }
        } else if (topic.equals(Topics.ACCOUNT_BALANCES.name())) {
            balances.put(record.key(), Topics.ACCOUNT_BALANCES.valueSerde().deserializer().deserialize(topic,
                    record.value()));
        } else if (topic.equals(Topics.ACCOUNT_STATUS.name())) {
            AccountStatusChanged change = Topics.ACCOUNT_STATUS.valueSerde().deserializer().deserialize(topic,
                    record.value());
            // a sub-account joining or leaving its agency takes a status: it was not paused or resumed
            if (!MEMBERSHIP_REASONS.contains(change.getReason())) {
                countIf(thisRun, change.getStatus() == AccountStatus.PAUSED ? paused : resumed);
            }
        } else if (topic.equals(Topics.RECHARGE_REQUESTS.name())) {
            requestIds.add(Topics.RECHARGE_REQUESTS.valueSerde().deserializer().deserialize(topic, record.value())
                    .getRequestId());
            countIf(thisRun, rechargeRequests);
        } else if (topic.equals(Topics.PAYMENT_RESULTS.name())) {
            PaymentResult result = Topics.PAYMENT_RESULTS.valueSerde().deserializer().deserialize(topic,
                    record.value());
            resultIds.add(result.getRequestId());
            countIf(thisRun, result.getStatus() == PaymentStatus.SUCCEEDED ? rechargesSucceeded
                    : result.getStatus() == PaymentStatus.DECLINED ? rechargesDeclined : rechargesFailed);
        } else if (topic.equals(Topics.RECEIPTS.name())) {
            Receipt receipt = Topics.RECEIPTS.valueSerde().deserializer().deserialize(topic, record.value());
            receipts.merge(receipt.getRequestId(), 1, Integer::sum);
            receiptChargedAt.put(receipt.getRequestId(), receipt.getChargedAt());
        }
    }

    private static void countIf(boolean thisRun, AtomicLong counter) {
        if (thisRun) {
            counter.incrementAndGet();
        }
    }

    /** Whether the account's latest balance says it is paused. */
    boolean paused(String accountId) {
        AccountBalance balance = balances.get(accountId);
        return balance != null && balance.getStatus() == AccountStatus.PAUSED;
    }

    /** Requests not answered yet by the worker. */
    long openRequests() {
        return requestIds.stream().filter(id -> !resultIds.contains(id)).count();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
