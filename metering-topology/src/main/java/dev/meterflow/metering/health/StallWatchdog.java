package dev.meterflow.metering.health;

import dev.meterflow.kafka.HangingTransactionAborter;
import dev.meterflow.metering.health.StallDetector.Input;
import dev.meterflow.metering.health.StallDetector.Observation;
import dev.meterflow.metering.health.StallDetector.Progress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the instance every few seconds and, when {@link StallDetector} finds it stuck, logs one ERROR naming
 * the tasks and stores (and what the broker says about the changelogs still restoring), aborts the hanging
 * transactions that hold those changelogs (when allowed), marks it not ready and hands over to {@code onStall}
 * (the service closes, the app exits for its supervisor to restart it). It fires once.
 */
public final class StallWatchdog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StallWatchdog.class);
    private static final Duration MAX_CHECK_INTERVAL = Duration.ofSeconds(5);

    private final KafkaStreams streams;
    private final RestoreTracker restores;
    private final Readiness readiness;
    private final ChangelogDiagnosis diagnosis;
    private final Optional<HangingTransactionAborter> aborter;
    private final Duration limit;
    private final Clock clock;
    private final Runnable onStall;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "metering-stall-watchdog");
        thread.setDaemon(true);
        return thread;
    });
    private Progress progress;

    public StallWatchdog(KafkaStreams streams, RestoreTracker restores, Readiness readiness,
            ChangelogDiagnosis diagnosis, Optional<HangingTransactionAborter> aborter, Duration limit, Clock clock,
            Runnable onStall) {
        this.streams = streams;
        this.restores = restores;
        this.readiness = readiness;
        this.diagnosis = diagnosis;
        this.aborter = aborter;
        this.limit = limit;
        this.clock = clock;
        this.onStall = onStall;
    }

    public void start() {
        long every = Math.max(100, Math.min(MAX_CHECK_INTERVAL.toMillis(), limit.toMillis() / 10));
        timer.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            progress = StallDetector.track(progress, observe());
            Optional<String> stall = StallDetector.stall(progress, limit);
            if (stall.isPresent()) {
                String broker = diagnosis.describe(restores.restoringChangelogs());
                log.error("metering stuck: nothing moved for meterflow.stall-timeout={}; not ready, stopping to be "
                        + "restarted {} broker=[{}]", limit, stall.get(), broker);
                // a restart alone cannot end a transaction its coordinator no longer has (issue 17): abort it
                // first, so that the restarted instance restores past it
                String aborted = aborter.map(hanging -> hanging.abortHanging(restores.restoringChangelogs()))
                        .orElse("");
                readiness.stuck(stall.get() + " broker=[" + broker + "] hangingTransactions=[" + aborted + "]");
                timer.shutdown();
                onStall.run();
            }
        } catch (RuntimeException e) {
            // the watchdog must outlive a bad look at the metadata (the instance closing under it, for one)
            log.warn("stall check failed; trying again at the next check", e);
        }
    }

    private Observation observe() {
        String state = streams.state().name();
        List<Input> inputs = streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .flatMap(task -> inputs(task).stream())
                .toList();
        return new Observation(clock.instant(), state, restores.restoring(), inputs);
    }

    private static List<Input> inputs(TaskMetadata task) {
        Map<TopicPartition, Long> committed = task.committedOffsets();
        return task.endOffsets().entrySet().stream()
                .filter(end -> committed.containsKey(end.getKey()) && committed.get(end.getKey()) >= 0)
                .map(end -> new Input(task.taskId().toString(), end.getKey().toString(),
                        committed.get(end.getKey()), end.getValue()))
                .toList();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
