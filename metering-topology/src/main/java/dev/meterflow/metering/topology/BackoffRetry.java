package dev.meterflow.metering.topology;

import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.Ledger;
import dev.meterflow.metering.state.AccountStateRecord;
import java.util.List;

/**
 * A wall-clock punctuation: asks for the recharges whose decline back-off has passed without any record for the
 * account arriving (a paused account sends no usage).
 */
final class BackoffRetry {

    private final Ledger ledger;
    private final AccountStore accounts;
    private final DecisionWriter writer;

    BackoffRetry(Ledger ledger, AccountStore accounts, DecisionWriter writer) {
        this.ledger = ledger;
        this.accounts = accounts;
        this.writer = writer;
    }

    /** Scans the task's accounts; candidates first, then changes. */
    void run(long now) {
        List<String> due = accounts.accountsWhere(state -> backoffPassed(state, now));
        for (String accountId : due) {
            BillingSettings settings = accounts.settings(accountId);
            if (settings == null) {
                continue;
            }
            AccountState state = accounts.load(accountId);
            writer.apply(accountId, now, state, ledger.retryAfterBackoff(state, settings, now));
        }
    }

    private static boolean backoffPassed(AccountStateRecord state, long now) {
        return state.getBackoffNotBefore() != null && state.getBackoffNotBefore() <= now
                && state.getPendingRequestId() == null;
    }
}
