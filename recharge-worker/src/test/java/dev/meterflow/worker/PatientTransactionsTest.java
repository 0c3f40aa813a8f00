package dev.meterflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY.md, "The recharge worker exits after a commit timeout": a commit or abort that timed out is called
 * again until it completes, as Kafka's producer requires, and the worker reports itself not ready meanwhile.
 */
class PatientTransactionsTest {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final PatientTransactions transactions = new PatientTransactions(running::get, Clock.systemUTC());
    /** What {@link PatientTransactions#blockedReason()} said at each call after the first. */
    private final List<Optional<String>> reasonsWhileCalledAgain = new ArrayList<>();

    @Test
    void shouldCallACommitThatTimedOutAgainUntilItCompletes() {
        TimingOut producer = new TimingOut(2, new TimeoutException("Timeout expired after 60000ms while awaiting "
                + "EndTxn(true)"));
        producer.beginTransaction();

        transactions.commit(producer);

        assertThat(producer.commitCalls).isEqualTo(3);
        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(reasonsWhileCalledAgain).hasSize(2).allSatisfy(reason -> assertThat(reason).hasValueSatisfying(
                why -> assertThat(why).startsWith("the transaction's commitTransaction waiting for the broker since")));
        assertThat(transactions.blockedReason()).isEmpty();
    }

    @Test
    void shouldCallAnAbortThatTimedOutAgainUntilItCompletes() {
        TimingOut producer = new TimingOut(1, new TimeoutException("Timeout expired after 60000ms while awaiting "
                + "EndTxn(false)"));
        producer.beginTransaction();

        transactions.abort(producer);

        assertThat(producer.abortCalls).isEqualTo(2);
        assertThat(producer.transactionAborted()).isTrue();
        assertThat(transactions.blockedReason()).isEmpty();
    }

    @Test
    void shouldLeaveAnyOtherErrorToTheCallerAtOnce() {
        TimingOut producer = new TimingOut(1, new ProducerFencedException("fenced by a newer epoch"));
        producer.beginTransaction();

        assertThatThrownBy(() -> transactions.commit(producer)).isInstanceOf(ProducerFencedException.class);
        assertThat(producer.commitCalls).isEqualTo(1);
        assertThat(transactions.blockedReason()).isEmpty();
    }

    @Test
    void shouldStopCallingAgainOnceTheWorkerStops() {
        TimingOut producer = new TimingOut(Integer.MAX_VALUE, new TimeoutException("awaiting EndTxn(true)"));
        producer.beginTransaction();
        running.set(false);

        assertThatThrownBy(() -> transactions.commit(producer)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stopping while commitTransaction waits for the broker")
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(producer.commitCalls).isEqualTo(1);
    }

    @Test
    void shouldReadAgainUntilTheBrokerAnswers() {
        // the committed offsets an aborted transaction's partitions go back to: the consumer gives up after its
        // default.api.timeout.ms, a broker outage can be longer (seen in RechargeWorkerBrokerRestartIT under load)
        List<String> calls = new ArrayList<>();

        String answer = transactions.read(() -> {
            calls.add("committed");
            if (calls.size() > 1) {
                reasonsWhileCalledAgain.add(transactions.blockedReason());
            }
            if (calls.size() < 3) {
                throw new TimeoutException("Timeout of 60000ms expired before the last committed offset for "
                        + "partitions [recharge-requests-0] could be determined");
            }
            return "offsets";
        }, "committed offsets");

        assertThat(answer).isEqualTo("offsets");
        assertThat(calls).hasSize(3);
        assertThat(reasonsWhileCalledAgain).hasSize(2).allSatisfy(reason -> assertThat(reason).hasValueSatisfying(
                why -> assertThat(why).startsWith("the read of the committed offsets waiting for the broker since")));
        assertThat(transactions.blockedReason()).isEmpty();
    }

    /** A producer whose commit and abort fail with {@code error} the first {@code failures} times. */
    private final class TimingOut extends MockProducer<String, byte[]> {
        private final int failures;
        private final RuntimeException error;
        int commitCalls;
        int abortCalls;

        TimingOut(int failures, RuntimeException error) {
            super(true, null, new StringSerializer(), new ByteArraySerializer());
            this.failures = failures;
            this.error = error;
            initTransactions();
        }

        @Override
        public void commitTransaction() {
            if (++commitCalls > 1) {
                reasonsWhileCalledAgain.add(transactions.blockedReason());
            }
            if (commitCalls <= failures) {
                throw error;
            }
            super.commitTransaction();
        }

        @Override
        public void abortTransaction() {
            if (++abortCalls <= failures) {
                throw error;
            }
            super.abortTransaction();
        }
    }
}
