package dev.meterflow.metering.health;

import dev.meterflow.kafka.HangingTransactions.OpenTransaction;
import dev.meterflow.kafka.OrphanedTransactionAborter;
import dev.meterflow.kafka.OrphanedTransactionAborter.Outcome;
import dev.meterflow.kafka.OrphanedTransactions.Action;
import dev.meterflow.kafka.OrphanedTransactions.ProducerEpoch;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks for the instance's orphaned transactions (KAFKA-20734) every {@code meterflow.orphaned-transactions.
 * check-interval} on every partition the application writes, and ends them as {@link OrphanedTransactionAborter}
 * decides. It must act before the same producer id writes the partition again, whose marker would otherwise decide
 * the orphan there: a look that fails (the broker away) is retried at once, so the first look after the broker
 * comes back follows its return. One ERROR per abort and per orphan left; a WARN per orphan waited on.
 */
public final class OrphanedTransactionGuard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OrphanedTransactionGuard.class);
    private static final String OFFSETS_TOPIC = "__consumer_offsets";
    private static final Duration RETRY = Duration.ofMillis(200);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final OrphanedTransactionAborter aborter;
    private final WrittenTopics written;
    private final String groupId;
    private final Duration interval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "metering-orphaned-transaction-guard");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<ProducerEpoch> reported = new HashSet<>();
    private final AtomicLong found = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private final AtomicLong left = new AtomicLong();

    public OrphanedTransactionGuard(Admin admin, OrphanedTransactionAborter aborter, WrittenTopics written,
            String groupId, Duration interval) {
        this.admin = admin;
        this.aborter = aborter;
        this.written = written;
        this.groupId = groupId;
        this.interval = interval;
    }

    public void start() {
        timer.schedule(this::check, 0, TimeUnit.MILLISECONDS);
    }

    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("meterflow.metering.orphaned.transactions.found", found, AtomicLong::get)
                .description("Orphaned transactions (KAFKA-20734) found on the partitions metering writes")
                .register(registry);
        FunctionCounter.builder("meterflow.metering.orphaned.transactions.aborted", aborted, AtomicLong::get)
                .description("Orphaned transactions aborted on every open partition").register(registry);
        Gauge.builder("meterflow.metering.orphaned.transactions.left", left, AtomicLong::get)
                .description("Orphaned transactions open now that the guard leaves for an operator")
                .register(registry);
    }

    private void check() {
        Duration next = interval;
        try {
            List<TopicPartition> partitions = partitions();
            TopicPartition offsets = offsetsPartition();
            List<TopicPartition> all = new ArrayList<>(partitions);
            all.add(offsets);
            report(aborter.scan(all, offsets));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // the broker away: the admin client waits for it within the call, so trying again at once follows its
            // return; a refusal (no permission) is only tried again at the next interval
            next = answeredLater(e) ? RETRY : interval;
            if (next == interval) {
                log.warn("orphaned transaction check failed; trying again in {}: {}", interval, e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!timer.isShutdown()) {
            timer.schedule(this::check, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static boolean answeredLater(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof TimeoutException || cause instanceof RetriableException;
    }

    private void report(List<Outcome> outcomes) {
        Set<ProducerEpoch> seen = new HashSet<>();
        long leftNow = 0;
        for (Outcome outcome : outcomes) {
            ProducerEpoch transaction = outcome.verdict().transaction();
            seen.add(transaction);
            boolean first = reported.add(transaction);
            if (first) {
                found.incrementAndGet();
            }
            Action action = outcome.verdict().action();
            boolean allAborted = action == Action.ABORT
                    && outcome.aborted().size() == outcome.verdict().toAbort().size();
            if (allAborted) {
                aborted.incrementAndGet();
                log.error("orphaned transaction aborted producerId='{}' producerEpoch='{}' partitions='{}': {}",
                        transaction.producerId(), transaction.producerEpoch(), describe(outcome.aborted()),
                        outcome.verdict().reason());
            } else if (outcome.failure().isPresent()) {
                log.error("orphaned transaction not fully aborted producerId='{}' producerEpoch='{}' aborted='{}' "
                        + "open='{}': {}; judged again at the next check", transaction.producerId(),
                        transaction.producerEpoch(), describe(outcome.aborted()), describe(outcome.verdict().parts()),
                        outcome.failure().get());
            } else if (action == Action.WAIT) {
                if (first) {
                    log.warn("orphaned transaction waited on producerId='{}' producerEpoch='{}' open='{}': {}",
                            transaction.producerId(), transaction.producerEpoch(),
                            describe(outcome.verdict().parts()), outcome.verdict().reason());
                }
            } else {
                // left by the rule, or judged abortable with aborting switched off
                leftNow++;
                if (first) {
                    log.error("orphaned transaction left open for an operator producerId='{}' producerEpoch='{}' "
                            + "open='{}' action='{}': {}", transaction.producerId(), transaction.producerEpoch(),
                            describe(outcome.verdict().parts()), action, outcome.verdict().reason());
                }
            }
        }
        reported.retainAll(seen);
        left.set(leftNow);
    }

    private static String describe(Collection<OpenTransaction> parts) {
        return parts.stream().map(part -> part.partition() + "@" + part.startOffset()).toList().toString();
    }

    private List<TopicPartition> partitions() throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> topics = written.of(admin.listTopics(new ListTopicsOptions().listInternal(false)).names()
                .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames()
                .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values()) {
            topic.partitions().forEach(partition -> partitions.add(
                    new TopicPartition(topic.name(), partition.partition())));
        }
        return partitions;
    }

    /** The partition of {@code __consumer_offsets} that holds the group's offsets, as the group coordinator picks it. */
    private TopicPartition offsetsPartition() throws ExecutionException, InterruptedException, TimeoutException {
        int count = admin.describeTopics(List.of(OFFSETS_TOPIC)).allTopicNames()
                .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(OFFSETS_TOPIC).partitions().size();
        return new TopicPartition(OFFSETS_TOPIC, offsetsPartitionOf(groupId, count));
    }

    static int offsetsPartitionOf(String groupId, int partitions) {
        int hash = groupId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitions;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
