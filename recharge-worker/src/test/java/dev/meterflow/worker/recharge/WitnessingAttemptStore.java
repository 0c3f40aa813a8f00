package dev.meterflow.worker.recharge;

import dev.meterflow.worker.attempts.AttemptLogEntry;
import dev.meterflow.worker.attempts.InMemoryAttemptStore;
import dev.meterflow.worker.gateway.ChargeCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory attempt log, watching the gateway: as each call arrives, the attempt it belongs to must already
 * be on record, in flight, for the same card and key (DESIGN.md decision 4: record, then call). Keeps every
 * write, in order.
 */
final class WitnessingAttemptStore extends InMemoryAttemptStore {

    private final List<AttemptLogEntry> journal = new ArrayList<>();
    private int callsWitnessed;

    @Override
    public void record(AttemptLogEntry entry) {
        journal.add(entry);
        super.record(entry);
    }

    /** Seeds the log as an earlier run of the worker left it (not part of the journal). */
    WitnessingAttemptStore leftByAnEarlierRun(AttemptLogEntry entry) {
        super.record(entry);
        return this;
    }

    /** Fails the test unless the call's attempt was recorded, in flight, before the call. */
    void assertRecordedBefore(ChargeCommand call) {
        AttemptLogEntry entry = find(call.requestId()).orElseThrow(() -> new AssertionError(
                "gateway called for request '" + call.requestId() + "' before anything was recorded"));
        if (entry.attempts().isEmpty()) {
            throw new AssertionError("gateway called for '" + call.requestId() + "' with no attempt on record");
        }
        var last = entry.attempts().get(entry.attempts().size() - 1);
        boolean onRecord = last.outcome() == null
                && last.paymentMethodId().equals(call.paymentMethodId())
                && last.idempotencyKey().equals(call.idempotencyKey())
                && entry.amountCents() == call.amountCents();
        if (!onRecord) {
            throw new AssertionError("gateway called with " + call + " but the last recorded attempt is " + last);
        }
        callsWitnessed++;
    }

    /** Every entry written, in order. */
    List<AttemptLogEntry> journal() {
        return List.copyOf(journal);
    }

    int callsWitnessed() {
        return callsWitnessed;
    }
}
