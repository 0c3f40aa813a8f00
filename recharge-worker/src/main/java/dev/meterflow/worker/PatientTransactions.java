package dev.meterflow.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the worker's transactions however long the broker is away. Kafka's producer rule: a
 * {@code commitTransaction}, {@code abortTransaction} or {@code initTransactions} that timed out after
 * {@code max.block.ms} may still be completing at the transaction coordinator, so the same call must be made again
 * until it returns or fails otherwise; meanwhile the producer refuses any other transactional call (a
 * {@code beginTransaction}: "the previous call to `commitTransaction` timed out and must be retried"). The worker used
 * to let that timeout stop it (RELIABILITY.md, "The recharge worker exits after a commit timeout"). Each timeout is
 * one WARN line, and the worker is not ready while a call waits. Any other error is the caller's to judge: a fenced
 * producer, a commit the group coordinator refused, a fatal state.
 */
final class PatientTransactions {

    private static final Logger log = LoggerFactory.getLogger(PatientTransactions.class);

    private final BooleanSupplier keepWaiting;
    private final Clock clock;
    /** What waits for the broker now and since when; only the poll thread ends transactions. */
    private volatile Waiting waiting;

    /** @param keepWaiting whether to call again after a timeout; {@code false} once the worker is stopping */
    PatientTransactions(BooleanSupplier keepWaiting, Clock clock) {
        this.keepWaiting = keepWaiting;
        this.clock = clock;
    }

    void commit(Producer<?, ?> producer) {
        untilDone(producer::commitTransaction, "commitTransaction", "the transaction's commitTransaction");
    }

    void abort(Producer<?, ?> producer) {
        untilDone(producer::abortTransaction, "abortTransaction", "the transaction's abortTransaction");
    }

    void init(Producer<?, ?> producer) {
        untilDone(producer::initTransactions, "initTransactions", "the transaction's initTransactions");
    }

    /**
     * A read the worker cannot go on without, such as the committed offsets to go back to after an aborted
     * transaction: called again for as long as it times out, as a transaction's end is (the consumer's
     * {@code default.api.timeout.ms} is shorter than a broker outage can be).
     */
    <T> T read(Supplier<T> call, String name) {
        List<T> answer = new ArrayList<>(1);
        untilDone(() -> answer.add(call.get()), name, "the read of the " + name);
        return answer.get(0);
    }

    /** Why the worker is not ready because of its transactions, empty when no call waits for the broker. */
    Optional<String> blockedReason() {
        Waiting now = waiting;
        return now == null ? Optional.empty()
                : Optional.of(now.what() + " waiting for the broker since " + now.since());
    }

    /**
     * @throws IllegalStateException when the worker stops while the call still waits: the transaction coordinator
     *                               ends the transaction (committed if the commit reached it, else aborted at its
     *                               timeout), and the requests it held are read again by the next owner
     */
    private void untilDone(Runnable call, String name, String what) {
        Instant began = clock.instant();
        int timeouts = 0;
        try {
            while (true) {
                try {
                    call.run();
                    if (timeouts > 0) {
                        log.info("transaction call completed after waiting for the broker call='{}' timeouts={} "
                                + "waited={}", name, timeouts, Duration.between(began, clock.instant()));
                    }
                    return;
                } catch (TimeoutException e) {
                    timeouts++;
                    if (!keepWaiting.getAsBoolean()) {
                        throw new IllegalStateException("the worker is stopping while " + name + " waits for the "
                                + "broker; the transaction coordinator ends the transaction and its requests are "
                                + "read again", e);
                    }
                    waiting = new Waiting(what, began);
                    log.warn("transaction call timed out waiting for the broker call='{}' timeouts={} waited={}: {}; "
                            + "calling it again, not ready meanwhile", name, timeouts,
                            Duration.between(began, clock.instant()), e.getMessage());
                }
            }
        } finally {
            waiting = null;
        }
    }

    private record Waiting(String what, Instant since) {
    }
}
