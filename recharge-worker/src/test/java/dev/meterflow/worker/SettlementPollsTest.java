package dev.meterflow.worker;

import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.schemas.RechargeRequest;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which parked bank debits (issue 10 §2) this worker polls, and when. */
class SettlementPollsTest {

    private static final TopicPartition P0 = new TopicPartition("recharge-requests", 0);
    private static final TopicPartition P1 = new TopicPartition("recharge-requests", 1);

    private final SettlementPolls polls = new SettlementPolls(60_000);
    private final RechargeRequest first = aRechargeRequest().withId("pay-1").build();
    private final RechargeRequest second = aRechargeRequest().withId("pay-2").build();

    @Test
    void shouldPollEachDueRequestOnceAtATimeAndAgainAfterTheInterval() {
        polls.add(first, P0, 1_000);
        polls.add(second, P0, 5_000);

        List<SettlementPolls.Parked> due = polls.takeDue(1_000);
        assertThat(due).extracting(parked -> parked.request().getRequestId()).containsExactly("pay-1");
        assertThat(polls.takeDue(2_000)).as("a poll still running is not started again").isEmpty();

        polls.pollAgain(due.get(0), 2_000, 0);
        assertThat(polls.takeDue(61_999)).extracting(parked -> parked.request().getRequestId())
                .containsExactly("pay-2");
        assertThat(polls.takeDue(62_000)).extracting(parked -> parked.request().getRequestId())
                .containsExactly("pay-1");
    }

    @Test
    void shouldDropTheAnswerOfAPollWhosePartitionWentAway() {
        polls.add(first, P0, 0);
        polls.add(second, P1, 0);
        SettlementPolls.Parked polled = polls.takeDue(0).stream()
                .filter(parked -> parked.partition().equals(P0)).findFirst().orElseThrow();

        polls.forget(List.of(P0));
        polls.add(first, P0, 0);

        assertThat(polls.isCurrent(polled)).isFalse();
        assertThat(polls.size()).isEqualTo(2);
    }

    @Test
    void shouldStopPollingASettledRequestAndNotAddOneTwice() {
        polls.add(first, P0, 0);
        polls.add(first, P0, 0);
        SettlementPolls.Parked polled = polls.takeDue(0).get(0);

        polls.done(polled);

        assertThat(polls.size()).isZero();
        assertThat(polls.takeDue(Long.MAX_VALUE)).isEmpty();
    }
}
