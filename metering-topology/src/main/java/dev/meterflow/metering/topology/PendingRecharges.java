package dev.meterflow.metering.topology;

import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.AccountState.PendingRecharge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds automatic recharges left without a result (issue 10, §6): each request is indexed by the wall-clock time
 * it was asked for, and a wall-clock punctuation reads the index only up to {@code now - timeout}, at most
 * {@link #MAX_PER_RUN} entries a run, so one transaction never goes through every account of the task. An entry
 * whose request is still pending is reported once (log line and counter); either way the entry is then dropped.
 */
final class PendingRecharges {

    /** The most index entries one punctuation looks at; the rest wait for the next one. */
    static final int MAX_PER_RUN = 1_000;

    private static final Logger log = LoggerFactory.getLogger(PendingRecharges.class);
    private static final char SEPARATOR = '\u001f';

    private final ProcessorContext<String, Object> context;
    private final KeyValueStore<String, String> index;
    private final AccountStore accounts;
    private final MeteringMetrics metrics;
    private final Duration timeout;

    PendingRecharges(ProcessorContext<String, Object> context, AccountStore accounts, MeteringMetrics metrics,
                     Duration timeout) {
        this.context = context;
        this.index = context.getStateStore(StoreNames.PENDING_RECHARGES);
        this.accounts = accounts;
        this.metrics = metrics;
        this.timeout = timeout;
    }

    /** Indexes a request just asked for, at the current wall-clock time. */
    void asked(String accountId, PendingRecharge request) {
        index.put(key(context.currentSystemTimeMs(), accountId), request.requestId());
    }

    /** Reports the requests asked for before {@code now - timeout} that are still pending. */
    void reportOverdue(long now) {
        long askedBefore = now - timeout.toMillis();
        if (askedBefore < 0) {
            return;
        }
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> entries = index.range(key(0, ""), key(askedBefore, ""))) {
            while (entries.hasNext() && due.size() < MAX_PER_RUN) {
                due.add(entries.next());
            }
        }
        for (KeyValue<String, String> entry : due) {
            String accountId = entry.key.substring(entry.key.indexOf(SEPARATOR) + 1);
            AccountState state = accounts.stored(accountId);
            if (state != null && state.pending() != null && state.pending().requestId().equals(entry.value)) {
                long askedAt = Long.parseLong(entry.key.substring(0, entry.key.indexOf(SEPARATOR)));
                metrics.overduePendingRecharge();
                log.warn("recharge pending past timeout account='{}' requestId='{}' pendingMs={} timeoutMs={}:"
                                + " no result from the recharge worker; check its attempt log and recharge-requests-dlq",
                        accountId, entry.value, now - askedAt, timeout.toMillis());
            }
            index.delete(entry.key);
        }
    }

    /** Zero-padded, so the keys sort by time as strings. */
    private static String key(long wallClockMillis, String accountId) {
        return String.format("%019d", wallClockMillis) + SEPARATOR + accountId;
    }
}
