package dev.meterflow.local.bench;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Per store, the records restored and the time from its first changelog partition starting to restore to its
 * last one finishing (partitions restore side by side, so the store's time is that span, not a sum).
 */
final class RestoreTimes implements StateRestoreListener {

    /** One store's restore. */
    record StoreRestore(long records, double seconds) {
    }

    private final Map<String, Long> firstStart = new ConcurrentHashMap<>();
    private final Map<String, Long> lastEnd = new ConcurrentHashMap<>();
    private final Map<String, Long> records = new ConcurrentHashMap<>();
    private final Set<TopicPartition> finished = ConcurrentHashMap.newKeySet();

    @Override
    public void onRestoreStart(TopicPartition changelog, String store, long startingOffset, long endingOffset) {
        firstStart.merge(store, System.nanoTime(), Math::min);
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long numRestored) {
        records.merge(store, numRestored, Long::sum);
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
        lastEnd.merge(store, System.nanoTime(), Math::max);
        finished.add(changelog);
    }

    /** The changelog (or global source) partitions whose restore has finished. */
    Set<TopicPartition> finished() {
        return Set.copyOf(finished);
    }

    /** Seconds from the first store's restore starting to the last one's ending. */
    double span() {
        if (firstStart.isEmpty()) {
            return 0;
        }
        long start = Collections.min(firstStart.values());
        return ((lastEnd.isEmpty() ? start : Collections.max(lastEnd.values())) - start) / 1e9;
    }

    /** Every store that restored something, by name. */
    Map<String, StoreRestore> byStore() {
        Map<String, StoreRestore> stores = new TreeMap<>();
        firstStart.forEach((store, start) -> stores.put(store, new StoreRestore(records.getOrDefault(store, 0L),
                (lastEnd.getOrDefault(store, start) - start) / 1e9)));
        return stores;
    }
}
