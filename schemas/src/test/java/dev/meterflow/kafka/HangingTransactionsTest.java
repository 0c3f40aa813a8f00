package dev.meterflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.kafka.HangingTransactions.OpenTransaction;
import dev.meterflow.kafka.HangingTransactions.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Issue 17: only a transaction its coordinator no longer has, past the transaction timeout, is aborted. */
class HangingTransactionsTest {

    private static final Instant NOW = Instant.parse("2026-11-29T21:52:50Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final TopicPartition CHANGELOG = new TopicPartition("app-account-state-store-changelog", 0);
    private static final TopicPartition OTHER = new TopicPartition("app-dedup-store-changelog", 0);

    private static OpenTransaction open(Instant lastWrite) {
        return new OpenTransaction(CHANGELOG, 3, 12, 0, 111, lastWrite);
    }

    private static Verdict judge(OpenTransaction transaction, Map<Long, Set<TopicPartition>> coordinator) {
        return HangingTransactions.judge(List.of(transaction), coordinator, TIMEOUT, NOW).get(0);
    }

    @Test
    void aTransactionTheCoordinatorDoesNotKnowIdlePastTheTimeoutHangs() {
        Verdict verdict = judge(open(NOW.minus(Duration.ofMinutes(15))), Map.of());

        assertThat(verdict.hanging()).isTrue();
        assertThat(verdict.reason()).contains("does not know the producer id");
    }

    @Test
    void aTransactionWhoseCoordinatorHasAnotherPartitionOrNoneOpenHangs() {
        assertThat(judge(open(NOW.minus(Duration.ofMinutes(15))), Map.of(3L, Set.of(OTHER))).hanging()).isTrue();
        assertThat(judge(open(NOW.minus(Duration.ofMinutes(15))), Map.of(3L, Set.of())).hanging()).isTrue();
    }

    @Test
    void aTransactionTheCoordinatorStillHasOnThePartitionIsNeverAbortedHoweverOld() {
        Verdict verdict = judge(open(NOW.minus(Duration.ofDays(3))), Map.of(3L, Set.of(CHANGELOG, OTHER)));

        assertThat(verdict.hanging()).isFalse();
        assertThat(verdict.reason()).contains("coordinator still has it");
    }

    @Test
    void aTransactionNotPastTheTimeoutIsLeftToItsProducerAndCoordinator() {
        assertThat(judge(open(NOW.minus(TIMEOUT)), Map.of()).hanging()).isFalse();
        assertThat(judge(open(NOW.minus(Duration.ofSeconds(3))), Map.of()).reason()).contains("not past");
        assertThat(judge(open(NOW.minus(TIMEOUT).minusMillis(1)), Map.of()).hanging()).isTrue();
    }

    @Test
    void theCoordinatorOfAnotherProducerIdDoesNotProtectIt() {
        assertThat(judge(open(NOW.minus(Duration.ofMinutes(1))), Map.of(4L, Set.of(CHANGELOG))).hanging()).isTrue();
    }
}
