package dev.meterflow.local.faults;

import dev.meterflow.topics.Topics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * What the fault suite asks the broker while it injects faults: who holds which partitions, whether a
 * transaction is open, what is left open at the end. A question the broker cannot answer now (it is being
 * restarted) gets the answer that makes the suite wait or retry, never an exception.
 */
final class ClusterProbe {

    private static final long TIMEOUT_SECONDS = 5;

    private final Admin admin;

    ClusterProbe(Admin admin) {
        this.admin = admin;
    }

    /** The group's description, or {@code null} if it cannot be read now. */
    ConsumerGroupDescription group(String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get(group);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The ledger-entries partitions a metering instance writes: those of the usage-events partitions its members
     * (client ids starting with its name) hold, the topics being co-partitioned.
     */
    Set<TopicPartition> ledgerPartitionsOf(String group, String clientIdPrefix) {
        ConsumerGroupDescription description = group(group);
        if (description == null) {
            return Set.of();
        }
        return description.members().stream().filter(m -> m.clientId().startsWith(clientIdPrefix))
                .flatMap(m -> m.assignment().topicPartitions().stream())
                .filter(tp -> tp.topic().equals(Topics.USAGE_EVENTS.name()))
                .map(tp -> new TopicPartition(Topics.LEDGER_ENTRIES.name(), tp.partition()))
                .collect(Collectors.toSet());
    }

    /** Whether a transaction is open on any of these partitions: its last stable offset is behind its end. */
    boolean openTransaction(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        try {
            var committed = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            var end = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return partitions.stream().anyMatch(tp -> committed.get(tp).offset() < end.get(tp).offset());
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Transactions not finished (ongoing, or preparing to commit or abort), or why they cannot be listed. */
    List<String> unfinishedTransactions() {
        List<String> open = new ArrayList<>();
        try {
            for (TransactionListing listing : admin.listTransactions().all().get(2 * TIMEOUT_SECONDS,
                    TimeUnit.SECONDS)) {
                if (listing.state() == TransactionState.ONGOING || listing.state() == TransactionState.PREPARE_COMMIT
                        || listing.state() == TransactionState.PREPARE_ABORT) {
                    open.add(listing.transactionalId() + " " + listing.state());
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            open.add("cannot list transactions: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            open.add("interrupted while listing transactions");
        }
        return open;
    }

    /**
     * Every partition whose last stable offset is behind its end (read_committed against read_uncommitted), with
     * the transactions open on it, or why they cannot be read. The coordinators' listing cannot see a transaction
     * they no longer have (a hanging one, issue 17); the partitions' offsets can.
     */
    List<String> partitionsHeldByATransaction() {
        try {
            Set<String> topics = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(topics).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values().stream()
                    .flatMap(topic -> topic.partitions().stream()
                            .map(partition -> new TopicPartition(topic.name(), partition.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(2 * TIMEOUT_SECONDS, TimeUnit.SECONDS);
            var end = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                    .get(2 * TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<TopicPartition> held = latest.keySet().stream()
                    .filter(tp -> stable.get(tp).offset() < end.get(tp).offset())
                    .sorted(Comparator.comparing(TopicPartition::toString)).toList();
            if (held.isEmpty()) {
                return List.of();
            }
            var producers = admin.describeProducers(held).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return held.stream().map(tp -> tp + " lastStableOffset=" + stable.get(tp).offset() + " endOffset="
                    + end.get(tp).offset() + " openTransactions=" + producers.get(tp).activeProducers().stream()
                            .filter(producer -> producer.currentTransactionStartOffset().isPresent())
                            .map(producer -> "producerId=" + producer.producerId() + " epoch="
                                    + producer.producerEpoch() + " startOffset="
                                    + producer.currentTransactionStartOffset().getAsLong())
                            .toList()).toList();
        } catch (ExecutionException | TimeoutException e) {
            return List.of("cannot compare last stable offsets with end offsets: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("interrupted while comparing last stable offsets with end offsets");
        }
    }
}
