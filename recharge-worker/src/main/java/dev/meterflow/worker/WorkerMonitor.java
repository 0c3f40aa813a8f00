package dev.meterflow.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * What the worker tells its operator: whether it is ready (in the group, its attempt log read up to date) and
 * the requests it is working on, with the age of the oldest (a request held for an unknown gateway outcome waits
 * here for minutes). Written from the poll thread and the request threads, read by {@code /health/ready} and
 * the metrics scrape.
 */
public final class WorkerMonitor {

    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<Pending, Instant> pending = new ConcurrentHashMap<>();
    private volatile boolean joined;
    private volatile boolean stopped;
    private volatile Supplier<Optional<String>> attemptLogBlocked = Optional::empty;
    private volatile Supplier<Optional<String>> transactionsBlocked = Optional::empty;

    public WorkerMonitor(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        Gauge.builder("meterflow.recharge.pending", pending::size)
                .description("Recharge requests read and not finished yet").register(registry);
        Gauge.builder("meterflow.recharge.pending.oldest.seconds", () -> oldestPending().toMillis() / 1000.0)
                .description("Age of the oldest recharge request read and not finished yet").register(registry);
        Gauge.builder("meterflow.recharge.ready", () -> notReadyReason().isEmpty() ? 1 : 0)
                .description("1 when /health/ready answers 200").register(registry);
    }

    /** Counts nothing anyone reads: for a worker run without metrics (tests, the local stack). */
    public static WorkerMonitor unobserved() {
        return new WorkerMonitor(new CompositeMeterRegistry(), Clock.systemUTC());
    }

    /** The group gave this worker its partitions (possibly none) and the attempt log caught up for them. */
    void joined() {
        joined = true;
    }

    /** The partitions were lost (the session expired, the coordinator fenced it): it must rejoin. */
    void left() {
        joined = false;
    }

    void stopped() {
        stopped = true;
    }

    /** Why {@code /health/ready} answers 503, empty when ready. */
    public Optional<String> notReadyReason() {
        if (stopped) {
            return Optional.of("stopped");
        }
        Optional<String> blocked = attemptLogBlocked.get();
        if (blocked.isPresent()) {
            return blocked;
        }
        Optional<String> committing = transactionsBlocked.get();
        if (committing.isPresent()) {
            return committing;
        }
        if (!joined) {
            return Optional.of("not in the consumer group yet, or its attempt log not read up to date");
        }
        return Optional.empty();
    }

    void started(TopicPartition partition, long offset) {
        pending.put(new Pending(partition, offset), clock.instant());
    }

    void finished(TopicPartition partition, long offset) {
        pending.remove(new Pending(partition, offset));
    }

    /** The partition went to another worker: its open requests are that worker's now. */
    void forgot(TopicPartition partition) {
        pending.keySet().removeIf(request -> request.partition().equals(partition));
    }

    /**
     * How a request ended here: SUCCEEDED, DECLINED, FAILED, REFUSED, UNDECODABLE, ALREADY_COMPLETED, or for now:
     * PROCESSING (parked while its bank debit settles), ALREADY_PARKED.
     */
    void outcome(String outcome) {
        Counter.builder("meterflow.recharge.outcomes").tag("outcome", outcome)
                .description("Recharge requests finished, by outcome").register(registry).increment();
    }

    /**
     * Where to ask whether the attempt log cannot be written now (the broker away): requests wait for it, and the
     * worker is not ready meanwhile.
     */
    void attemptLogBlocked(Supplier<Optional<String>> reason) {
        this.attemptLogBlocked = reason;
    }

    /**
     * Where to ask whether a transaction's commit or abort waits for the broker (it timed out and is called again):
     * nothing is published meanwhile, and the worker is not ready.
     */
    void transactionsBlocked(Supplier<Optional<String>> reason) {
        this.transactionsBlocked = reason;
    }

    /** Reports how many parked requests (bank debits processing, issue 10 §2) this worker polls. */
    void awaitingSettlement(Supplier<Number> parked) {
        Gauge.builder("meterflow.recharge.awaiting.settlement", parked)
                .description("Parked recharge requests whose bank debit is processing, polled by this worker")
                .register(registry);
    }

    /** A payment method passed over at its soft-decline retry limit (Visa's and the worker's own). */
    public void softDeclineLimitHit() {
        Counter.builder("meterflow.recharge.soft.decline.limit.hits")
                .description("Payment methods passed over at their soft-decline retry limit").register(registry)
                .increment();
    }

    Duration oldestPending() {
        Instant now = clock.instant();
        return pending.values().stream().min(Instant::compareTo).map(oldest -> Duration.between(oldest, now))
                .orElse(Duration.ZERO);
    }

    private record Pending(TopicPartition partition, long offset) {
    }
}
