package dev.meterflow.kafka;

import dev.meterflow.kafka.HangingTransactions.OpenTransaction;
import dev.meterflow.kafka.HangingTransactions.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the hanging transactions on partitions whose readers stand still (a changelog's restore, the recharge
 * worker's attempt log), as an operator would with
 * {@code kafka-transactions.sh find-hanging} and {@code abort}: it asks the partition leaders for the open
 * transactions ({@code describeProducers}), their coordinators for what they still have open
 * ({@code listTransactions}, {@code describeTransactions}), lets {@link HangingTransactions} decide, and writes an
 * abort marker for each hanging one. When the coordinators cannot be asked it aborts nothing. The marker carries
 * the transaction's producer epoch, so a producer that has moved on to a newer epoch is never touched.
 */
public final class HangingTransactionAborter {

    private static final Logger log = LoggerFactory.getLogger(HangingTransactionAborter.class);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<Admin> admins;
    private final Duration transactionTimeout;
    private final Clock clock;

    public HangingTransactionAborter(Supplier<Admin> admins, Duration transactionTimeout, Clock clock) {
        this.admins = admins;
        this.transactionTimeout = transactionTimeout;
        this.clock = clock;
    }

    /** One line per open transaction found: aborted, or left and why; never throws. */
    public String abortHanging(Collection<TopicPartition> changelogs) {
        if (changelogs.isEmpty()) {
            return "";
        }
        try (Admin admin = admins.get()) {
            List<OpenTransaction> open = openTransactions(admin, changelogs);
            if (open.isEmpty()) {
                return "";
            }
            Map<Long, Set<TopicPartition>> coordinator = coordinatorPartitions(admin,
                    open.stream().map(OpenTransaction::producerId).collect(Collectors.toSet()));
            List<String> lines = new ArrayList<>();
            for (Verdict verdict : HangingTransactions.judge(open, coordinator, transactionTimeout, clock.instant())) {
                lines.add(verdict.hanging() ? abort(admin, verdict) : "left " + describe(verdict));
            }
            return String.join("; ", lines);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return "no transaction aborted: the broker could not be asked about " + changelogs + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no transaction aborted: interrupted";
        }
    }

    private static List<OpenTransaction> openTransactions(Admin admin, Collection<TopicPartition> changelogs)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<OpenTransaction> open = new ArrayList<>();
        admin.describeProducers(changelogs).all().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .forEach((partition, state) -> state.activeProducers().stream()
                        .filter(producer -> producer.currentTransactionStartOffset().isPresent())
                        .forEach(producer -> open.add(openTransaction(partition, producer))));
        return open;
    }

    private static OpenTransaction openTransaction(TopicPartition partition, ProducerState producer) {
        // kafka-transactions.sh abort takes 0 when the partition has had no marker from any coordinator yet
        return new OpenTransaction(partition, producer.producerId(), producer.producerEpoch(),
                producer.coordinatorEpoch().orElse(0), producer.currentTransactionStartOffset().getAsLong(),
                Instant.ofEpochMilli(producer.lastTimestamp()));
    }

    private static Map<Long, Set<TopicPartition>> coordinatorPartitions(Admin admin, Set<Long> producerIds)
            throws ExecutionException, InterruptedException, TimeoutException {
        Collection<TransactionListing> listings = admin.listTransactions(
                new ListTransactionsOptions().filterProducerIds(producerIds)).all()
                .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<Long, Set<TopicPartition>> partitions = new HashMap<>();
        for (TransactionListing listing : listings) {
            if (producerIds.contains(listing.producerId())) {
                partitions.computeIfAbsent(listing.producerId(), producerId -> new HashSet<>())
                        .addAll(describedPartitions(admin, listing.transactionalId()));
            }
        }
        return partitions;
    }

    private static Set<TopicPartition> describedPartitions(Admin admin, String transactionalId)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            return admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                    .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).topicPartitions();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TransactionalIdNotFoundException) {
                // expired between the listing and the description: the coordinator has nothing open for it
                return Set.of();
            }
            throw e;
        }
    }

    private static String abort(Admin admin, Verdict verdict) throws InterruptedException {
        OpenTransaction transaction = verdict.transaction();
        log.error("aborting a hanging transaction partition='{}' producerId='{}' producerEpoch='{}' "
                        + "coordinatorEpoch='{}' startOffset='{}' lastWrite='{}': {}", transaction.partition(),
                transaction.producerId(), transaction.producerEpoch(), transaction.coordinatorEpoch(),
                transaction.startOffset(), transaction.lastWrite(), verdict.reason());
        try {
            admin.abortTransaction(new AbortTransactionSpec(transaction.partition(), transaction.producerId(),
                    (short) transaction.producerEpoch(), transaction.coordinatorEpoch())).all()
                    .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return "aborted " + describe(verdict);
        } catch (ExecutionException | TimeoutException e) {
            // without ClusterAction the broker refuses the marker: the operator's kafka-transactions.sh abort
            log.error("could not abort the hanging transaction partition='{}' producerId='{}' startOffset='{}'",
                    transaction.partition(), transaction.producerId(), transaction.startOffset(), e);
            return "could not abort " + describe(verdict) + ": " + e;
        }
    }

    private static String describe(Verdict verdict) {
        OpenTransaction transaction = verdict.transaction();
        return String.format("partition=%s producerId=%d epoch=%d startOffset=%d (%s)", transaction.partition(),
                transaction.producerId(), transaction.producerEpoch(), transaction.startOffset(), verdict.reason());
    }
}
