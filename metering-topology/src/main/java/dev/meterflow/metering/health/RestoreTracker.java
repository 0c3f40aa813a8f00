package dev.meterflow.metering.health;

import dev.meterflow.metering.health.StallDetector.Restore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every store restoring from its changelog, for the watchdog, and says when one starts and ends: after
 * a crash or a wiped state directory an instance can spend minutes here before it processes anything, and an
 * operator should see why.
 */
public final class RestoreTracker implements StateRestoreListener {

    private static final Logger log = LoggerFactory.getLogger(RestoreTracker.class);

    private final Function<TopicPartition, String> taskOfChangelog;
    private final Map<TopicPartition, Restore> restoring = new ConcurrentHashMap<>();
    private final AtomicLong restoredRecords = new AtomicLong();

    /** {@code taskOfChangelog} names the task that owns a changelog partition (for the watchdog's report). */
    public RestoreTracker(Function<TopicPartition, String> taskOfChangelog) {
        this.taskOfChangelog = taskOfChangelog;
    }

    public List<Restore> restoring() {
        return List.copyOf(restoring.values());
    }

    /** Records restored into active tasks' stores since start-up: the restore work a restart cost. */
    public long restoredRecords() {
        return restoredRecords.get();
    }

    public Set<TopicPartition> restoringChangelogs() {
        return Set.copyOf(restoring.keySet());
    }

    @Override
    public void onRestoreStart(TopicPartition changelog, String store, long startingOffset, long endingOffset) {
        log.info("restore started store='{}' changelog={} records={}", store, changelog,
                endingOffset - startingOffset);
        restoring.put(changelog, new Restore(taskOfChangelog.apply(changelog), store, changelog.toString(),
                startingOffset, endingOffset));
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long numRestored) {
        restoredRecords.addAndGet(numRestored);
        restoring.computeIfPresent(changelog, (partition, restore) -> new Restore(restore.task(), restore.store(),
                restore.changelog(), batchEndOffset + 1, restore.endOffset()));
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
        restoring.remove(changelog);
        log.info("restore finished store='{}' changelog={} records={}", store, changelog, totalRestored);
    }

    /** The task moved to another instance (or was closed) before its restore finished. */
    @Override
    public void onRestoreSuspended(TopicPartition changelog, String store, long totalRestored) {
        restoring.remove(changelog);
        log.info("restore suspended store='{}' changelog={} records={}", store, changelog, totalRestored);
    }
}
