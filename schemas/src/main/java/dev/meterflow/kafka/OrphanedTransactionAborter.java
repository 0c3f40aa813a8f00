package dev.meterflow.kafka;

import dev.meterflow.kafka.HangingTransactions.OpenTransaction;
import dev.meterflow.kafka.OrphanedTransactions.Action;
import dev.meterflow.kafka.OrphanedTransactions.CoordinatorState;
import dev.meterflow.kafka.OrphanedTransactions.CoordinatorView;
import dev.meterflow.kafka.OrphanedTransactions.OffsetsFate;
import dev.meterflow.kafka.OrphanedTransactions.ProducerEpoch;
import dev.meterflow.kafka.OrphanedTransactions.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and ends an application's orphaned transactions (KAFKA-20734) on every partition it writes: asks the
 * partition leaders for the open transactions ({@code describeProducers}), the coordinators of the application's
 * own producer ids for their state ({@code listTransactions}, {@code describeTransactions}), the fate of offsets
 * parts it saw open earlier ({@link OffsetsFateReader}), lets {@link OrphanedTransactions} decide and writes the
 * abort markers in the order decided. Each marker carries the orphan's epoch, so a partition the producer id has
 * written again at a later epoch refuses it; the first refusal stops that orphan's aborts.
 *
 * <p>It remembers the offsets parts it has seen open, to follow their fate once they are decided; one instance
 * per application instance, called from one thread.
 */
public final class OrphanedTransactionAborter {

    private static final Logger log = LoggerFactory.getLogger(OrphanedTransactionAborter.class);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    /** What one scan found for one orphan, and what it aborted. */
    public record Outcome(Verdict verdict, List<OpenTransaction> aborted, Optional<String> failure) {
    }

    private final Admin admin;
    private final String transactionalIdPrefix;
    private final BiFunction<TopicPartition, Long, Optional<OffsetsFate>> offsetsFates;
    private final Duration transactionTimeout;
    private final Clock clock;
    private final boolean abort;
    private final Map<ProducerEpoch, OpenTransaction> offsetsPartsSeen = new ConcurrentHashMap<>();

    /**
     * @param transactionalIdPrefix the application's transactional ids start with it: only its producers are judged
     * @param abort false to judge and report without writing a marker
     */
    public OrphanedTransactionAborter(Admin admin, String transactionalIdPrefix,
            BiFunction<TopicPartition, Long, Optional<OffsetsFate>> offsetsFates, Duration transactionTimeout,
            Clock clock, boolean abort) {
        this.admin = admin;
        this.transactionalIdPrefix = transactionalIdPrefix;
        this.offsetsFates = offsetsFates;
        this.transactionTimeout = transactionTimeout;
        this.clock = clock;
        this.abort = abort;
    }

    /** One look at {@code partitions} (the offsets partition among them); throws when the cluster cannot be asked. */
    public List<Outcome> scan(Collection<TopicPartition> partitions, TopicPartition offsetsPartition)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<OpenTransaction> open = openTransactions(partitions);
        Set<ProducerEpoch> openTransactions = open.stream()
                .map(part -> new ProducerEpoch(part.producerId(), part.producerEpoch())).collect(Collectors.toSet());
        offsetsPartsSeen.keySet().retainAll(openTransactions);
        if (open.isEmpty()) {
            return List.of();
        }
        Map<Long, CoordinatorView> coordinator = coordinatorViews(
                open.stream().map(OpenTransaction::producerId).collect(Collectors.toSet()));
        // the leaders and the coordinator are asked one after the other: only a transaction open on a partition
        // both before and after its coordinator was asked was open while the coordinator said what it said (a
        // transaction that ended, or began, in between would otherwise look orphaned)
        open = openBeforeAndAfter(open);
        if (open.isEmpty()) {
            return List.of();
        }
        Map<ProducerEpoch, OffsetsFate> fates = fatesOfOffsetsPartsNoLongerOpen(open, offsetsPartition);
        List<Verdict> verdicts = OrphanedTransactions.judge(open, coordinator, offsetsPartition, fates,
                transactionTimeout, clock.instant());
        List<Outcome> outcomes = new ArrayList<>();
        for (Verdict verdict : verdicts) {
            verdict.offsetsPart().ifPresent(part -> offsetsPartsSeen.put(verdict.transaction(), part));
            outcomes.add(abort && verdict.action() == Action.ABORT ? abortInOrder(verdict)
                    : new Outcome(verdict, List.of(), Optional.empty()));
        }
        return outcomes;
    }

    private List<OpenTransaction> openBeforeAndAfter(List<OpenTransaction> before)
            throws ExecutionException, InterruptedException, TimeoutException {
        Set<TopicPartition> partitions = before.stream().map(OpenTransaction::partition).collect(Collectors.toSet());
        Set<List<Object>> after = openTransactions(partitions).stream().map(OrphanedTransactionAborter::identity)
                .collect(Collectors.toSet());
        return before.stream().filter(part -> after.contains(identity(part))).toList();
    }

    private static List<Object> identity(OpenTransaction part) {
        return List.of(part.partition(), part.producerId(), part.producerEpoch(), part.startOffset());
    }

    private Map<ProducerEpoch, OffsetsFate> fatesOfOffsetsPartsNoLongerOpen(List<OpenTransaction> open,
            TopicPartition offsetsPartition) {
        Set<ProducerEpoch> offsetsStillOpen = open.stream().filter(part -> part.partition().equals(offsetsPartition))
                .map(part -> new ProducerEpoch(part.producerId(), part.producerEpoch())).collect(Collectors.toSet());
        Map<ProducerEpoch, OffsetsFate> fates = new HashMap<>();
        offsetsPartsSeen.forEach((transaction, part) -> {
            if (!offsetsStillOpen.contains(transaction)) {
                offsetsFates.apply(part.partition(), part.startOffset())
                        .ifPresent(fate -> fates.put(transaction, fate));
            }
        });
        return fates;
    }

    private Outcome abortInOrder(Verdict verdict) throws InterruptedException {
        List<OpenTransaction> aborted = new ArrayList<>();
        for (OpenTransaction part : verdict.toAbort()) {
            log.error("aborting an orphaned transaction partition='{}' producerId='{}' producerEpoch='{}' "
                    + "startOffset='{}' lastWrite='{}': {}", part.partition(), part.producerId(), part.producerEpoch(),
                    part.startOffset(), part.lastWrite(), verdict.reason());
            try {
                admin.abortTransaction(new AbortTransactionSpec(part.partition(), part.producerId(),
                        (short) part.producerEpoch(), part.coordinatorEpoch())).all()
                        .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                aborted.add(part);
            } catch (ExecutionException | TimeoutException e) {
                // refused (the producer id wrote here at a later epoch: its own marker decides) or unanswered: the
                // parts after this one stay open for the next scan to judge again
                return new Outcome(verdict, aborted, Optional.of("could not abort partition=" + part.partition()
                        + ": " + e.getMessage()));
            }
        }
        return new Outcome(verdict, aborted, Optional.empty());
    }

    /**
     * The open transactions of every partition the application may look at; a partition it may not read (the
     * offsets partition without {@code Read} on {@code __consumer_offsets}) is skipped, and its orphans' offsets
     * parts are then never seen open: they are left, not guessed.
     */
    private List<OpenTransaction> openTransactions(Collection<TopicPartition> partitions)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<OpenTransaction> open = new ArrayList<>();
        DescribeProducersResult result = admin.describeProducers(partitions);
        for (TopicPartition partition : partitions) {
            try {
                result.partitionResult(partition).get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .activeProducers().stream()
                        .filter(producer -> producer.currentTransactionStartOffset().isPresent())
                        .forEach(producer -> open.add(openTransaction(partition, producer)));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof AuthorizationException)) {
                    throw e;
                }
                log.debug("orphaned transactions not looked for partition='{}': {}", partition,
                        e.getCause().getMessage());
            }
        }
        return open;
    }

    private static OpenTransaction openTransaction(TopicPartition partition, ProducerState producer) {
        // kafka-transactions.sh abort takes 0 when the partition has had no marker from any coordinator yet
        return new OpenTransaction(partition, producer.producerId(), producer.producerEpoch(),
                producer.coordinatorEpoch().orElse(0), producer.currentTransactionStartOffset().getAsLong(),
                Instant.ofEpochMilli(producer.lastTimestamp()));
    }

    private Map<Long, CoordinatorView> coordinatorViews(Set<Long> producerIds)
            throws ExecutionException, InterruptedException, TimeoutException {
        Collection<TransactionListing> listings = admin.listTransactions(
                new ListTransactionsOptions().filterProducerIds(producerIds)).all()
                .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<String> ours = listings.stream().map(TransactionListing::transactionalId)
                .filter(id -> id.startsWith(transactionalIdPrefix)).distinct().toList();
        Map<Long, CoordinatorView> views = new HashMap<>();
        if (ours.isEmpty()) {
            return views;
        }
        Map<String, TransactionDescription> descriptions = new HashMap<>();
        for (String transactionalId : ours) {
            describe(transactionalId).ifPresent(description -> descriptions.put(transactionalId, description));
        }
        descriptions.forEach((transactionalId, description) -> {
            if (producerIds.contains(description.producerId())) {
                views.put(description.producerId(), new CoordinatorView(transactionalId, description.producerEpoch(),
                        state(description), new HashSet<>(description.topicPartitions())));
            }
        });
        return views;
    }

    private Optional<TransactionDescription> describe(String transactionalId)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            return Optional.of(admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                    .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TransactionalIdNotFoundException) {
                // expired between the listing and the description: nothing to judge it by
                return Optional.empty();
            }
            throw e;
        }
    }

    private static CoordinatorState state(TransactionDescription description) {
        try {
            return CoordinatorState.valueOf(description.state().name());
        } catch (IllegalArgumentException e) {
            return CoordinatorState.UNKNOWN;
        }
    }
}
