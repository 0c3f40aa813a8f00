package dev.meterflow.metering.topology;

import org.apache.kafka.streams.kstream.internals.Change;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * Forwards what a cached store holds for a key when Kafka Streams flushes the store's cache, so an output that only
 * mirrors a store (the balance of an account, a day's rollup) is written once per key per commit, not once per
 * record. Kafka Streams flushes the caches in {@code StreamTask.prepareCommit}, before it flushes the producer and
 * commits the transaction, and when a full cache evicts an entry: both inside the open transaction, so a crash
 * loses the flushed records with everything else the transaction held, and the replay writes them again.
 *
 * <p>It is how Kafka Streams' own cached KTables emit ({@code TimestampedCacheFlushListener}), through the same
 * internal interfaces ({@code CachedStateStore.setFlushListener}), which the processor API does not expose: hence
 * the casts, checked at start-up, and the pinned Kafka version.
 */
final class CommitEmitter {

    /** What to forward for one flushed key: its value as flushed before (or null) and its value now (or null). */
    interface Flushed<V> {
        void emit(String key, V before, V after, long timestamp);
    }

    /** What to forward for one flushed key, from its value now alone (or null). */
    interface Latest<V> {
        void emit(String key, V after, long timestamp);
    }

    private CommitEmitter() {
    }

    /**
     * Calls {@code flushed} for every key of {@code storeName} written since the last flush, as the billing
     * processor's node, so it may forward to the processor's sinks.
     *
     * @throws IllegalStateException if the store is not built with caching enabled: it would never call back
     */
    static <V> void onFlush(ProcessorContext<String, Object> context, String storeName, Flushed<V> flushed) {
        register(context, storeName, flushed, true);
    }

    /**
     * Like {@link #onFlush}, for an output that needs only the key's value now. The flush then does not read the
     * value before from the store underneath the cache, one store read and one decoding per flushed key fewer (issue
     * 13: on uniform traffic about one per usage event, for the rollups).
     */
    static <V> void onFlushLatest(ProcessorContext<String, Object> context, String storeName, Latest<V> latest) {
        CommitEmitter.<V>register(context, storeName, (key, before, after, timestamp) -> latest.emit(key, after,
                timestamp), false);
    }

    private static <V> void register(ProcessorContext<String, Object> context, String storeName, Flushed<V> flushed,
                                     boolean valueBefore) {
        InternalProcessorContext<String, Object> internal = (InternalProcessorContext<String, Object>) context;
        ProcessorNode<?, ?, ?, ?> processor = internal.currentNode();
        WrappedStateStore<?, String, V> store = context.getStateStore(storeName);
        CacheFlushListener<String, V> listener = (Record<String, Change<V>> record) -> {
            ProcessorNode<?, ?, ?, ?> previous = internal.currentNode();
            internal.setCurrentNode(processor);
            try {
                flushed.emit(record.key(), record.value().oldValue, record.value().newValue, record.timestamp());
            } finally {
                internal.setCurrentNode(previous);
            }
        };
        if (!store.setFlushListener(listener, valueBefore)) {
            throw new IllegalStateException("store " + storeName + " must be built withCachingEnabled(): its "
                    + "outputs are forwarded when its cache is flushed");
        }
    }
}
