package dev.meterflow.metering.topology;

import java.time.Duration;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * The ids already applied (debited events, applied payment results), remembered for the dedup retention. A
 * handler marks an id only after everything the record changes has been written.
 */
final class Dedup {

    private static final char SEPARATOR = '\u001f';

    private final ProcessorContext<String, Object> context;
    private final DedupStore store;
    private final Duration retention;

    Dedup(ProcessorContext<String, Object> context, Duration retention) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.DEDUP);
        this.retention = retention;
    }

    /** The store key of an id of one kind ({@code 'u'} usage, {@code 'p'} payment result) for an account. */
    static String key(char kind, String accountId, String id) {
        return kind + String.valueOf(SEPARATOR) + accountId + SEPARATOR + id;
    }

    boolean seen(String key) {
        return remembered(key) != null;
    }

    /** What was stored for this key within the retention, or {@code null}. */
    String remembered(String key) {
        return store.remembered(key, Math.max(0, context.currentSystemTimeMs() - retention.toMillis()));
    }

    void remember(String key, String value) {
        store.remember(key, value, context.currentSystemTimeMs());
    }
}
