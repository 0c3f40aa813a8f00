package dev.meterflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.kafka.HangingTransactions.OpenTransaction;
import dev.meterflow.kafka.OrphanedTransactions.Action;
import dev.meterflow.kafka.OrphanedTransactions.CoordinatorState;
import dev.meterflow.kafka.OrphanedTransactions.CoordinatorView;
import dev.meterflow.kafka.OrphanedTransactions.OffsetsFate;
import dev.meterflow.kafka.OrphanedTransactions.ProducerEpoch;
import dev.meterflow.kafka.OrphanedTransactions.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * KAFKA-20734: a transaction its coordinator completed without markers (producer id 6, epoch 19 in the fault
 * suite's run of 2026-11-30) stays open on every partition it wrote; it is aborted everywhere only when that
 * removes duplicates alone.
 */
class OrphanedTransactionsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T03:58:12Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long PRODUCER = 6;
    private static final int EPOCH = 19;
    private static final TopicPartition LEDGER_1 = new TopicPartition("ledger-entries", 1);
    private static final TopicPartition LEDGER_3 = new TopicPartition("ledger-entries", 3);
    private static final TopicPartition CHANGELOG = new TopicPartition("app-account-state-store-changelog", 1);
    private static final TopicPartition OFFSETS = new TopicPartition("__consumer_offsets", 3);
    private static final Instant JUST_NOW = NOW.minusSeconds(2);

    private static OpenTransaction part(TopicPartition partition, int epoch, Instant lastWrite) {
        return new OpenTransaction(partition, PRODUCER, epoch, 0, 356, lastWrite);
    }

    private static List<OpenTransaction> orphanWithOffsets() {
        return List.of(part(LEDGER_1, EPOCH, JUST_NOW), part(CHANGELOG, EPOCH, JUST_NOW),
                part(OFFSETS, EPOCH, JUST_NOW));
    }

    private static CoordinatorView coordinator(int epoch, CoordinatorState state, TopicPartition... partitions) {
        return new CoordinatorView("app-3f1c-1", epoch, state, Set.of(partitions));
    }

    private static List<Verdict> judge(List<OpenTransaction> open, CoordinatorView view,
            Map<ProducerEpoch, OffsetsFate> fates) {
        return OrphanedTransactions.judge(open, Map.of(PRODUCER, view), OFFSETS, fates, TIMEOUT, NOW);
    }

    @Test
    void aTransactionCompletedAtTheBumpedEpochIsOrphanedAtOnceAndAbortedOffsetsFirst() {
        List<Verdict> verdicts = judge(orphanWithOffsets(), coordinator(EPOCH + 1, CoordinatorState.COMPLETE_COMMIT),
                Map.of());

        assertThat(verdicts).singleElement().satisfies(verdict -> {
            assertThat(verdict.transaction()).isEqualTo(new ProducerEpoch(PRODUCER, EPOCH));
            assertThat(verdict.action()).isEqualTo(Action.ABORT);
            assertThat(verdict.toAbort()).extracting(OpenTransaction::partition)
                    .containsExactly(OFFSETS, LEDGER_1, CHANGELOG);
            assertThat(verdict.reason()).contains("later epoch 20", "offsets part is open");
        });
    }

    @Test
    void aTransactionTheCoordinatorHoldsWithNothingToEndAtTheSameEpochIsOrphaned() {
        for (CoordinatorState state : List.of(CoordinatorState.EMPTY, CoordinatorState.COMPLETE_ABORT,
                CoordinatorState.COMPLETE_COMMIT)) {
            assertThat(judge(orphanWithOffsets(), coordinator(EPOCH, state), Map.of()))
                    .singleElement().extracting(Verdict::action).isEqualTo(Action.ABORT);
        }
    }

    @Test
    void aTransactionItsCoordinatorRunsOrIsEndingIsNotOrphaned() {
        TopicPartition[] all = {LEDGER_1, CHANGELOG, OFFSETS};
        assertThat(judge(orphanWithOffsets(), coordinator(EPOCH, CoordinatorState.ONGOING, all), Map.of())).isEmpty();
        // transactions v2: the markers of epoch 19 are written at the epoch bumped to 20
        assertThat(judge(orphanWithOffsets(), coordinator(EPOCH + 1, CoordinatorState.PREPARE_COMMIT, all), Map.of()))
                .isEmpty();
        assertThat(judge(orphanWithOffsets(), coordinator(EPOCH, CoordinatorState.PREPARE_ABORT, all), Map.of()))
                .isEmpty();
    }

    @Test
    void aPartitionListedOnlyInTheProducersNextTransactionDoesNotKeepTheOrphanAlive() {
        // the next transaction (epoch 20) added ledger-entries-1 again: its marker would decide the orphan there
        List<Verdict> verdicts = judge(orphanWithOffsets(),
                coordinator(EPOCH + 1, CoordinatorState.ONGOING, LEDGER_1), Map.of());

        assertThat(verdicts).singleElement().extracting(Verdict::action).isEqualTo(Action.WAIT);
    }

    @Test
    void whileTheProducersNextTransactionIsUnderwayItsEndDecidesTheOffsetsPart() {
        assertThat(judge(orphanWithOffsets(), coordinator(EPOCH + 1, CoordinatorState.ONGOING), Map.of()))
                .singleElement().satisfies(verdict -> {
                    assertThat(verdict.action()).isEqualTo(Action.WAIT);
                    assertThat(verdict.toAbort()).isEmpty();
                    assertThat(verdict.reason()).contains("underway at epoch 20");
                });
        assertThat(judge(orphanWithOffsets(), coordinator(EPOCH + 2, CoordinatorState.PREPARE_ABORT), Map.of()))
                .singleElement().extracting(Verdict::action).isEqualTo(Action.WAIT);
    }

    @Test
    void onceTheOffsetsPartWasAbortedTheRestIsAbortedAsDuplicates() {
        // the fault suite's run: the next transaction aborted the offsets part and ledger-entries-3, not
        // ledger-entries-1, which a later commit of the same producer id committed: 48 events debited twice
        List<OpenTransaction> left = List.of(part(LEDGER_1, EPOCH, JUST_NOW), part(CHANGELOG, EPOCH, JUST_NOW));

        List<Verdict> verdicts = judge(left, coordinator(EPOCH + 2, CoordinatorState.COMPLETE_ABORT),
                Map.of(new ProducerEpoch(PRODUCER, EPOCH), OffsetsFate.ABORTED));

        assertThat(verdicts).singleElement().satisfies(verdict -> {
            assertThat(verdict.action()).isEqualTo(Action.ABORT);
            assertThat(verdict.toAbort()).extracting(OpenTransaction::partition).containsExactly(LEDGER_1, CHANGELOG);
            assertThat(verdict.reason()).contains("offsets part was aborted");
        });
    }

    @Test
    void onceTheOffsetsPartWasCommittedTheRestIsLeftAsTheOnlyCopyOfItsOutputs() {
        List<OpenTransaction> left = List.of(part(LEDGER_3, EPOCH, JUST_NOW));

        List<Verdict> verdicts = judge(left, coordinator(EPOCH + 2, CoordinatorState.COMPLETE_COMMIT),
                Map.of(new ProducerEpoch(PRODUCER, EPOCH), OffsetsFate.COMMITTED));

        assertThat(verdicts).singleElement().satisfies(verdict -> {
            assertThat(verdict.action()).isEqualTo(Action.LEAVE);
            assertThat(verdict.toAbort()).isEmpty();
            assertThat(verdict.reason()).contains("offsets part was committed", "would lose");
        });
    }

    @Test
    void anOrphanWhoseOffsetsPartWasNeverSeenIsLeftNotGuessed() {
        List<Verdict> verdicts = judge(List.of(part(LEDGER_1, EPOCH, JUST_NOW)),
                coordinator(EPOCH + 1, CoordinatorState.COMPLETE_COMMIT), Map.of());

        assertThat(verdicts).singleElement().satisfies(verdict -> {
            assertThat(verdict.action()).isEqualTo(Action.LEAVE);
            assertThat(verdict.reason()).contains("not seen open");
        });
    }

    @Test
    void aPartitionTheCoordinatorDoesNotListAtTheSameRunningEpochIsOrphanedOnlyPastTheTimeout() {
        // transactions v1 keep the epoch across transactions: an older one left open looks like the running one
        CoordinatorView running = coordinator(EPOCH, CoordinatorState.ONGOING, LEDGER_3);
        assertThat(judge(orphanWithOffsets(), running, Map.of())).isEmpty();

        Instant longAgo = NOW.minus(TIMEOUT).minusMillis(1);
        List<OpenTransaction> idle = List.of(part(LEDGER_1, EPOCH, longAgo), part(OFFSETS, EPOCH, longAgo));
        assertThat(judge(idle, running, Map.of())).singleElement().satisfies(verdict -> {
            assertThat(verdict.action()).isEqualTo(Action.ABORT);
            assertThat(verdict.reason()).contains("past the transaction timeout");
        });
    }

    @Test
    void producersOfOtherApplicationsAreNotJudged() {
        OpenTransaction foreign = new OpenTransaction(OFFSETS, 99, 4, 0, 12, NOW.minus(Duration.ofHours(1)));

        assertThat(OrphanedTransactions.judge(List.of(foreign), Map.of(), OFFSETS, Map.of(), TIMEOUT, NOW)).isEmpty();
    }

    @Test
    void eachProducerEpochIsJudgedOnItsOwn() {
        List<OpenTransaction> open = List.of(part(LEDGER_1, EPOCH, JUST_NOW), part(OFFSETS, EPOCH, JUST_NOW),
                part(LEDGER_3, EPOCH + 1, JUST_NOW));

        List<Verdict> verdicts = judge(open, coordinator(EPOCH + 1, CoordinatorState.ONGOING, LEDGER_3), Map.of());

        assertThat(verdicts).singleElement().satisfies(verdict -> {
            assertThat(verdict.transaction().producerEpoch()).isEqualTo(EPOCH);
            assertThat(verdict.action()).isEqualTo(Action.WAIT);
        });
    }
}
