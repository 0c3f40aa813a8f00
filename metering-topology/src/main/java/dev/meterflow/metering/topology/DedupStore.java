package dev.meterflow.metering.topology;

import dev.meterflow.metering.topology.DedupChangelog.Mark;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * {@code dedup-store}: the ids already applied, in a local RocksDB window store (the index, not logged itself),
 * and a changelog that takes one record per task per commit holding every id marked in it ({@link DedupChangelog}),
 * not one record per id (issue 13, §2).
 *
 * <p>Kafka Streams flushes the caches of a task's stores ({@link CachedStateStore#flushCache()}) in
 * {@code StreamTask.prepareCommit}, before it flushes the producer and commits the transaction: that is when the
 * batch is sent, so it commits or aborts with the records and offsets whose ids it holds. The processor API offers
 * neither that hook nor a way to send a store's changelog records or to restore an index from records of another
 * form, hence the internal interfaces, checked by the tests, and the Kafka version pinned in the POM.
 */
final class DedupStore implements StateStore, CachedStateStore<String, String> {

    private final WindowStore<String, String> index;
    private final List<Mark> batch = new ArrayList<>();
    private int batchBytes;
    private InternalProcessorContext<?, ?> context;
    private RecordBatchingStateRestoreCallback restoreCallback;

    private DedupStore(WindowStore<String, String> index) {
        this.index = index;
    }

    /** The store for the topology: ids kept {@code retention}, its changelog kept a day longer, as before. */
    static StoreBuilder<DedupStore> builder(String name, Duration retention) {
        return new Builder(name, retention);
    }

    /** What was stored for this key at {@code fromMs} or later, or {@code null}. */
    String remembered(String key, long fromMs) {
        try (WindowStoreIterator<String> hits = index.fetch(key, fromMs, Long.MAX_VALUE)) {
            return hits.hasNext() ? hits.next().value : null;
        }
    }

    void remember(String key, String value, long timestampMs) {
        index.put(key, value, timestampMs);
        Mark mark = new Mark(key, value, timestampMs);
        batch.add(mark);
        batchBytes += mark.encodedBytesAtMost();
        if (batchBytes >= DedupChangelog.MAX_BATCH_BYTES) {
            sendBatch();
        }
    }

    @Override
    public void init(StateStoreContext stateStoreContext, StateStore root) {
        if (!(stateStoreContext instanceof InternalProcessorContext<?, ?> internal)) {
            throw new IllegalStateException("dedup-store needs Kafka Streams' own store context, got "
                    + stateStoreContext.getClass().getName());
        }
        this.context = internal;
        clearCache();
        index.init(expandingRestores(internal), root);
    }

    /** Called by Kafka Streams at every commit, inside the transaction. */
    @Override
    public void flushCache() {
        if (!batch.isEmpty()) {
            sendBatch();
        }
    }

    /** What was marked since the last flush is dropped with the transaction that marked it. */
    @Override
    public void clearCache() {
        batch.clear();
        batchBytes = 0;
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, String> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return index.name();
    }

    @Override
    public void flush() {
        index.flush();
    }

    /** The changelog offset is kept by the index, where the window store kept it before this store wrapped it. */
    @Override
    public boolean managesOffsets() {
        return index.managesOffsets();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        index.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return index.committedOffset(partition);
    }

    @Override
    public long approximateNumUncommittedBytes() {
        return index.approximateNumUncommittedBytes();
    }

    @Override
    public void close() {
        clearCache();
        index.close();
    }

    @Override
    public boolean persistent() {
        return index.persistent();
    }

    @Override
    public boolean isOpen() {
        return index.isOpen();
    }

    @Override
    public Position getPosition() {
        return index.getPosition();
    }

    private void sendBatch() {
        long latest = batch.stream().mapToLong(Mark::timestampMs).max().orElseThrow();
        // stamped with the wall clock of its latest mark, so the topic's retention keeps it as long as the ids
        context.logChange(name(), Bytes.wrap(DedupChangelog.batchKey(batch)), DedupChangelog.batchValue(batch),
                latest, new RecordHeaders(), index.getPosition());
        clearCache();
    }

    /** The callback Kafka Streams restores this store through, from its changelog's records. */
    RecordBatchingStateRestoreCallback restoreCallback() {
        return restoreCallback;
    }

    /**
     * The context the index is initialised with: Kafka Streams' own, except that the restore callback the index
     * registers is handed the batches expanded into the index's own changelog form.
     */
    private InternalProcessorContext<?, ?> expandingRestores(InternalProcessorContext<?, ?> context) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object[] actual = args;
            if (method.getName().equals("register") && args != null && args.length >= 2
                    && args[1] instanceof StateRestoreCallback callback) {
                restoreCallback = expanding(callback);
                actual = args.clone();
                actual[1] = restoreCallback;
            }
            try {
                return method.invoke(context, actual);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (InternalProcessorContext<?, ?>) Proxy.newProxyInstance(InternalProcessorContext.class.getClassLoader(),
                new Class<?>[] {InternalProcessorContext.class}, handler);
    }

    private static RecordBatchingStateRestoreCallback expanding(StateRestoreCallback callback) {
        if (!(callback instanceof RecordBatchingStateRestoreCallback batching)) {
            throw new IllegalStateException("dedup-store's index registered a restore callback of an unexpected kind ("
                    + callback.getClass().getName() + "): check the Kafka Streams version");
        }
        return records -> batching.restoreBatch(DedupChangelog.expand(records));
    }

    private static final class Builder implements StoreBuilder<DedupStore> {

        private final String name;
        private final Duration retention;

        Builder(String name, Duration retention) {
            this.name = name;
            this.retention = retention;
        }

        @Override
        public DedupStore build() {
            // a segmented store: whole segments older than the retention are dropped, so it stays bounded
            return new DedupStore(Stores.windowStoreBuilder(
                    Stores.persistentWindowStore(name, retention, Duration.ofMillis(1), false),
                    Serdes.String(), Serdes.String()).withLoggingDisabled().withCachingDisabled().build());
        }

        /** As Kafka Streams configures a window store's changelog: compacted, and deleted a day after the ids. */
        @Override
        public Map<String, String> logConfig() {
            return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.plus(Duration.ofDays(1)).toMillis()));
        }

        @Override
        public boolean loggingEnabled() {
            return true;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public StoreBuilder<DedupStore> withCachingEnabled() {
            throw new UnsupportedOperationException("dedup-store batches its own changelog records");
        }

        @Override
        public StoreBuilder<DedupStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<DedupStore> withLoggingEnabled(Map<String, String> config) {
            throw new UnsupportedOperationException("dedup-store's changelog is configured by its retention");
        }

        @Override
        public StoreBuilder<DedupStore> withLoggingDisabled() {
            throw new UnsupportedOperationException("dedup-store's changelog is what restores it");
        }
    }
}
