package dev.meterflow.kafka;

import dev.meterflow.kafka.HangingTransactions.OpenTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Which open transactions of an application's own producers are orphaned, and what to do with each, as a pure
 * function (KAFKA-20734). Kafka 4.4.0's coordinator can complete a transaction without writing its markers when
 * the partitions had no leader while it loaded the transaction after an unclean restart; the transaction's
 * records then stay open on every partition it wrote, until the next marker of the same producer id there
 * decides them, whatever that marker's transaction was. The decision that keeps every input processed once is
 * the one its consumer-offsets part gets: if that part is aborted the input is processed again and every other
 * part is a duplicate to abort; if it is committed every other part is the only copy of its outputs.
 *
 * <p>A transaction is judged per producer id and epoch across every partition the application writes. It is
 * orphaned when the coordinator of its producer id has moved past it: the coordinator knows the producer id at a
 * higher epoch (transactions v2 bump the epoch when a transaction ends, so no timeout is needed), or at the same
 * epoch with nothing to end (Empty or Complete); or when the coordinator does not list the partition and the
 * transaction is idle past the transaction timeout (the rule {@link HangingTransactions} applies).
 */
public final class OrphanedTransactions {

    private OrphanedTransactions() {
    }

    /** The coordinator's states, as {@code describeTransactions} names them. */
    public enum CoordinatorState {
        EMPTY, ONGOING, PREPARE_COMMIT, PREPARE_ABORT, COMPLETE_COMMIT, COMPLETE_ABORT, PREPARE_EPOCH_FENCE, DEAD,
        UNKNOWN
    }

    /** What the coordinator of a producer id says of it ({@code describeTransactions} of its transactional id). */
    public record CoordinatorView(String transactionalId, int producerEpoch, CoordinatorState state,
            Set<TopicPartition> partitions) {
    }

    /** What became of an orphan's consumer-offsets part once it was no longer open, read from the partition. */
    public enum OffsetsFate { COMMITTED, ABORTED }

    /** One transaction of one producer id and epoch. */
    public record ProducerEpoch(long producerId, int producerEpoch) {
    }

    /** What to do with an orphan. */
    public enum Action {
        /** Abort {@link Verdict#toAbort()}, in that order. */
        ABORT,
        /** Its producer has a later transaction underway whose end decides the offsets part: judge again. */
        WAIT,
        /** Aborting could lose outputs: leave it open, with an ERROR and a metric for an operator. */
        LEAVE
    }

    /**
     * @param parts every open part, the offsets part included
     * @param toAbort the parts to abort in this order (empty unless {@link Action#ABORT})
     * @param offsetsPart the part on the application's consumer-offsets partition, while it is open
     */
    public record Verdict(ProducerEpoch transaction, Action action, List<OpenTransaction> parts,
            List<OpenTransaction> toAbort, Optional<OpenTransaction> offsetsPart, String reason) {
    }

    /**
     * @param open the open transactions on every partition the application writes, its offsets partition included,
     *     each seen open both before and after the coordinator was asked
     * @param coordinator per producer id, what its coordinator says; only the application's own producers (a
     *     producer id absent here is not judged)
     * @param offsetsPartition the {@code __consumer_offsets} partition of the application's group
     * @param offsetsFates the fate of offsets parts seen open earlier and no longer open
     * @return a verdict per orphaned transaction; transactions that are not orphaned are left out
     */
    public static List<Verdict> judge(Collection<OpenTransaction> open, Map<Long, CoordinatorView> coordinator,
            TopicPartition offsetsPartition, Map<ProducerEpoch, OffsetsFate> offsetsFates,
            Duration transactionTimeout, Instant now) {
        Map<ProducerEpoch, List<OpenTransaction>> byTransaction = new LinkedHashMap<>();
        open.stream().filter(part -> coordinator.containsKey(part.producerId()))
                .forEach(part -> byTransaction.computeIfAbsent(
                        new ProducerEpoch(part.producerId(), part.producerEpoch()), key -> new ArrayList<>()).add(part));
        List<Verdict> verdicts = new ArrayList<>();
        byTransaction.forEach((transaction, parts) -> orphanedBecause(parts, coordinator.get(transaction.producerId()),
                transactionTimeout, now).ifPresent(why -> verdicts.add(decide(transaction, parts, offsetsPartition,
                        coordinator.get(transaction.producerId()), offsetsFates.get(transaction), why))));
        return verdicts;
    }

    /** Why the transaction is orphaned, or empty when its coordinator may still end it. */
    static Optional<String> orphanedBecause(List<OpenTransaction> parts, CoordinatorView view,
            Duration transactionTimeout, Instant now) {
        int epoch = parts.get(0).producerEpoch();
        if (parts.stream().anyMatch(part -> stillEnding(part, view))) {
            return Optional.empty();
        }
        if (view.producerEpoch() > epoch) {
            return Optional.of("its coordinator knows the producer id only at the later epoch "
                    + view.producerEpoch() + " (" + view.state() + ")");
        }
        if (view.producerEpoch() == epoch && nothingToEnd(view.state())) {
            return Optional.of("its coordinator has nothing to end at this epoch (" + view.state() + ")");
        }
        Instant lastWrite = parts.stream().map(OpenTransaction::lastWrite).max(Comparator.naturalOrder())
                .orElseThrow();
        Duration idle = Duration.between(lastWrite, now);
        return idle.compareTo(transactionTimeout) > 0
                ? Optional.of("its coordinator does not list these partitions (" + view.state() + " at epoch "
                        + view.producerEpoch() + "), idle " + idle + ", past the transaction timeout "
                        + transactionTimeout)
                : Optional.empty();
    }

    /**
     * The coordinator lists the partition in the transaction it is running or ending: at the same epoch, or,
     * while it writes the markers, at the epoch it bumped to when the transaction ended (transactions v2).
     */
    private static boolean stillEnding(OpenTransaction part, CoordinatorView view) {
        if (!view.partitions().contains(part.partition())) {
            return false;
        }
        int behind = view.producerEpoch() - part.producerEpoch();
        return switch (view.state()) {
            case ONGOING -> behind == 0;
            case PREPARE_COMMIT, PREPARE_ABORT, PREPARE_EPOCH_FENCE -> behind == 0 || behind == 1;
            default -> false;
        };
    }

    private static boolean nothingToEnd(CoordinatorState state) {
        return state == CoordinatorState.EMPTY || state == CoordinatorState.COMPLETE_COMMIT
                || state == CoordinatorState.COMPLETE_ABORT;
    }

    private static Verdict decide(ProducerEpoch transaction, List<OpenTransaction> parts,
            TopicPartition offsetsPartition, CoordinatorView view, OffsetsFate fate, String orphaned) {
        Optional<OpenTransaction> offsetsPart = parts.stream()
                .filter(part -> part.partition().equals(offsetsPartition)).findFirst();
        List<OpenTransaction> outputs = parts.stream()
                .filter(part -> !part.partition().equals(offsetsPartition)).toList();
        if (offsetsPart.isPresent()) {
            if (laterTransactionUnderway(transaction, view)) {
                return new Verdict(transaction, Action.WAIT, parts, List.of(), offsetsPart, orphaned
                        + "; its producer has a transaction underway at epoch " + view.producerEpoch()
                        + " that ends the offsets part with its own marker: the other parts follow that end");
            }
            // the offsets part first: the partition refuses the abort once the producer id has written there at a
            // later epoch, so an accepted abort proves that no later commit of it carries these offsets
            List<OpenTransaction> toAbort = new ArrayList<>();
            toAbort.add(offsetsPart.get());
            toAbort.addAll(outputs);
            return new Verdict(transaction, Action.ABORT, parts, toAbort, offsetsPart, orphaned
                    + "; its offsets part is open: the input is processed again, its outputs are duplicates");
        }
        if (fate == OffsetsFate.ABORTED) {
            return new Verdict(transaction, Action.ABORT, parts, outputs, offsetsPart, orphaned
                    + "; its offsets part was aborted: the input is processed again, its outputs are duplicates");
        }
        String why = fate == OffsetsFate.COMMITTED
                ? "; its offsets part was committed: its input counts as processed and these records are the only "
                        + "copy of its outputs, aborting them would lose them"
                : "; its offsets part is not open and was not seen open: whether its input was processed again "
                        + "is not known, aborting could lose outputs";
        return new Verdict(transaction, Action.LEAVE, parts, List.of(), offsetsPart, orphaned + why);
    }

    /** A transaction the producer began after this one, which will write its own marker on the offsets part. */
    private static boolean laterTransactionUnderway(ProducerEpoch transaction, CoordinatorView view) {
        int ahead = view.producerEpoch() - transaction.producerEpoch();
        return switch (view.state()) {
            case ONGOING -> ahead >= 1;
            case PREPARE_COMMIT, PREPARE_ABORT, PREPARE_EPOCH_FENCE -> ahead >= 2;
            default -> false;
        };
    }
}
