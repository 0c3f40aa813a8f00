package dev.meterflow.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Which transactions open on a partition hang: the rule {@code kafka-transactions.sh find-hanging}
 * applies, as a pure function. A transaction is hanging when it has written nothing for longer than the
 * producers' transaction timeout and the transaction coordinator of its producer id does not list that partition
 * among the partitions of a transaction it still has to end (or does not know the producer id at all). The
 * coordinator is the one that ends a live transaction, at its timeout at the latest; one it no longer knows will
 * never be ended but by an abort marker written from outside (issue 17: a broker SIGKILLed mid-transaction left
 * one open on three changelog partitions for good).
 */
public final class HangingTransactions {

    private HangingTransactions() {
    }

    /** An open transaction as the partition leader reports it ({@code describeProducers}). */
    public record OpenTransaction(TopicPartition partition, long producerId, int producerEpoch,
            int coordinatorEpoch, long startOffset, Instant lastWrite) {
    }

    /** What is decided about one open transaction, and why. */
    public record Verdict(OpenTransaction transaction, boolean hanging, String reason) {
    }

    /**
     * @param coordinatorPartitions per producer id, the partitions its coordinator still has to end a transaction
     *     on (those of an ongoing, preparing-to-commit or preparing-to-abort transaction); a producer id its
     *     coordinator does not know is absent
     * @param transactionTimeout the producers' {@code transaction.timeout.ms}: a live transaction older than this
     *     has been aborted by its coordinator
     */
    public static List<Verdict> judge(Collection<OpenTransaction> open,
            Map<Long, Set<TopicPartition>> coordinatorPartitions, Duration transactionTimeout, Instant now) {
        return open.stream().map(transaction -> judge(transaction, coordinatorPartitions, transactionTimeout, now))
                .toList();
    }

    private static Verdict judge(OpenTransaction transaction, Map<Long, Set<TopicPartition>> coordinatorPartitions,
            Duration transactionTimeout, Instant now) {
        Set<TopicPartition> pending = coordinatorPartitions.get(transaction.producerId());
        if (pending != null && pending.contains(transaction.partition())) {
            return new Verdict(transaction, false, "its coordinator still has it open on this partition");
        }
        Duration idle = Duration.between(transaction.lastWrite(), now);
        if (idle.compareTo(transactionTimeout) <= 0) {
            return new Verdict(transaction, false, "idle " + idle + ", not past the transaction timeout "
                    + transactionTimeout);
        }
        return new Verdict(transaction, true, (pending == null ? "its coordinator does not know the producer id"
                : "its coordinator has no transaction of the producer id on this partition") + ", idle " + idle
                + ", past the transaction timeout " + transactionTimeout);
    }
}
