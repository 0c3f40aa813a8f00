package dev.meterflow.metering.topology;

import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.state.AccountStateRecord;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Publishes an account's balance on {@code account-balances} once per commit, from {@code account-state-store}'s
 * cache flush: the latest balance of each account whose balance, status or pending recharge changed in the
 * transaction. Nothing decides on the published record: thresholds, pauses and recharges are decided on the store,
 * at the debit or credit.
 */
final class BalancePublisher {

    private final ProcessorContext<String, Object> context;

    private BalancePublisher(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    /** Forwards the balances of {@code context}'s task at each flush of its account state store. */
    static void register(ProcessorContext<String, Object> context) {
        BalancePublisher publisher = new BalancePublisher(context);
        CommitEmitter.<AccountStateRecord>onFlush(context, StoreNames.ACCOUNT_STATE, publisher::flushed);
    }

    private void flushed(String accountId, AccountStateRecord before, AccountStateRecord after, long timestamp) {
        AccountState state = AvroMapping.state(after);
        if (before == null || changesBalance(AvroMapping.state(before), state)) {
            context.forward(new Record<>(accountId, AvroMapping.balance(accountId, state,
                    context.currentSystemTimeMs()), timestamp), MeteringTopology.BALANCES_SINK);
        }
    }

    /** Whether {@code after} shows anything an {@code AccountBalance} carries differently from {@code before}. */
    static boolean changesBalance(AccountState before, AccountState after) {
        return after.balanceMicros() != before.balanceMicros() || after.paused() != before.paused()
                || !Objects.equals(after.pending(), before.pending());
    }
}
