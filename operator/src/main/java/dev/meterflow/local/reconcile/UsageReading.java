package dev.meterflow.local.reconcile;

import dev.meterflow.local.deadletter.DeadLetter;
import dev.meterflow.local.deadletter.DeadLetters;
import dev.meterflow.local.reconcile.UsageAccounting.EventKey;
import dev.meterflow.local.reconcile.UsageAccounting.InputRecord;
import dev.meterflow.local.reconcile.UsageAccounting.Position;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads what {@link UsageAccounting} compares: the usage in, and where it went. */
final class UsageReading {

    private static final Logger log = LoggerFactory.getLogger(UsageReading.class);

    private UsageReading() {
    }

    /** Every usage-events record, decoded as far as it can be. */
    static List<InputRecord> inputs(KafkaConsumer<byte[], byte[]> consumer) {
        List<InputRecord> inputs = new ArrayList<>();
        String topic = Topics.USAGE_EVENTS.name();
        TopicReader.readToEnd(consumer, topic, record -> {
            UsageEvent event = null;
            try {
                event = record.value() == null ? null
                        : Topics.USAGE_EVENTS.valueSerde().deserializer().deserialize(topic, record.value());
            } catch (RuntimeException e) {
                // an undecodable record must be in the dead letter queue: it stays unnamed here
            }
            inputs.add(new InputRecord(record.partition(), record.offset(),
                    event == null ? null : event.getAccountId(), event == null ? null : event.getEventId()));
        });
        return inputs;
    }

    /**
     * By the account that used the service: a sub-account's event is debited from its agency's balance (the
     * entry's {@code accountId}), but it was sent, and parked if it was, under the sub-account.
     */
    static Set<EventKey> debited(List<LedgerEntry> ledger) {
        Set<EventKey> debited = new HashSet<>();
        // a plan fee charged directly is accounted for by its PLAN_FEE_DIRECT entry, under the same entry id
        ledger.stream().filter(entry -> entry.getKind() == LedgerEntryKind.USAGE
                        || entry.getKind() == LedgerEntryKind.PLAN_FEE_DIRECT)
                .forEach(entry -> debited.add(new EventKey(entry.getSourceAccountId(), entry.getSourceId())));
        return debited;
    }

    /** The PLAN_FEE_DIRECT requests without a result yet, with their accounts: plan fees being charged. */
    static Map<String, String> openPlanFees(List<RechargeRequest> requests, List<PaymentResult> results) {
        Set<String> answered = new HashSet<>();
        results.forEach(result -> answered.add(result.getRequestId()));
        Map<String, String> open = new HashMap<>();
        requests.stream().filter(request -> request.getReason() == RechargeReason.PLAN_FEE_DIRECT)
                .filter(request -> !answered.contains(request.getRequestId()))
                .forEach(request -> open.put(request.getRequestId(), request.getAccountId()));
        return open;
    }

    static Map<EventKey, Integer> parked(List<UsageEvent> unpriced) {
        Map<EventKey, Integer> parked = new HashMap<>();
        unpriced.forEach(event -> parked.merge(new EventKey(event.getAccountId(), event.getEventId()), 1,
                Integer::sum));
        return parked;
    }

    /**
     * Every record {@code metering-dlq} and {@code recharge-requests-dlq} hold, by the source their headers name
     * (a dead letter without one names nothing, so accounts for nothing).
     */
    static Set<DeadLetter.Location> deadLettered(KafkaConsumer<byte[], byte[]> consumer) {
        Set<DeadLetter.Location> sources = new HashSet<>();
        for (String queue : DeadLetters.QUEUES) {
            TopicReader.readToEnd(consumer, queue, record -> {
                DeadLetter.Location source = DeadLetter.of(new DeadLetter.Location(record.topic(),
                        record.partition(), record.offset()), record.key(), record.value(), record.headers()).source();
                if (source != null) {
                    sources.add(source);
                }
            });
        }
        return sources;
    }

    /** The usage-events records among the dead-lettered ones. */
    static Set<Position> usagePositions(Set<DeadLetter.Location> deadLettered) {
        Set<Position> positions = new HashSet<>();
        deadLettered.stream().filter(source -> source.topic().equals(Topics.USAGE_EVENTS.name()))
                .forEach(source -> positions.add(new Position(source.partition(), source.offset())));
        return positions;
    }

    /**
     * The metering app's committed offsets on usage-events, or {@code null} when they cannot be read (no such
     * group, no permission): then every record counts as processed, as on a settled pipeline.
     */
    static Map<Integer, Long> committedOffsets(Properties kafkaClient, String applicationId) {
        if (applicationId == null) {
            return null;
        }
        try (Admin admin = Admin.create(kafkaClient)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<Integer, Long> committed = new HashMap<>();
            offsets.forEach((partition, offset) -> {
                if (partition.topic().equals(Topics.USAGE_EVENTS.name()) && offset != null) {
                    committed.put(partition.partition(), offset.offset());
                }
            });
            return committed.isEmpty() ? null : committed;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("committed offsets not read group='{}'; every usage record counts as processed: {}",
                    applicationId, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
