package dev.meterflow.metering.topology;

import dev.meterflow.metering.agency.StatusCascade;
import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.Decision;
import dev.meterflow.metering.ledger.Effect;
import dev.meterflow.metering.ledger.Posting;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a ledger decision: stores the account's new state and forwards its effects. The balance follows at the
 * commit ({@link BalancePublisher}).
 *
 * <p>Record times: a ledger entry and a status change keep the input's time (the ledger is kept for ever, the
 * status topic is compacted, and readers of both may order by it). A recharge request and a notification are
 * stamped with the wall clock when they are written: a topic's retention counts from its records' time, so a
 * request caused by an input stamped weeks ago (a late batch, a replay) would be deleted before the worker reads
 * it (ARCHITECTURE.md, "Record times").
 */
final class DecisionWriter {

    private static final Logger log = LoggerFactory.getLogger(DecisionWriter.class);

    private final ProcessorContext<String, Object> context;
    private final AccountStore accounts;
    private final PendingRecharges pendingRecharges;
    private final AgencyMembers agencyMembers;

    DecisionWriter(ProcessorContext<String, Object> context, AccountStore accounts,
                   PendingRecharges pendingRecharges, AgencyMembers agencyMembers) {
        this.context = context;
        this.accounts = accounts;
        this.pendingRecharges = pendingRecharges;
        this.agencyMembers = agencyMembers;
    }

    /**
     * @param before the account's state before the decision, {@code null} for an account not stored yet (it is
     *               then stored, and its balance published, whatever the decision)
     */
    void apply(String accountId, long timestamp, AccountState before, Decision decision) {
        AccountState after = decision.state();
        if (!after.equals(before)) {
            accounts.put(accountId, after);
        }
        if (after.pending() != null && (before == null || !after.pending().equals(before.pending()))) {
            pendingRecharges.asked(accountId, after.pending());
        }
        long now = context.currentSystemTimeMs();
        for (Effect effect : decision.effects()) {
            forward(accountId, timestamp, effect, now);
        }
    }

    private void forward(String accountId, long timestamp, Effect effect, long now) {
        if (effect instanceof Effect.Posted posted) {
            Posting posting = posted.posting();
            context.forward(new Record<>(posting.accountId(), AvroMapping.ledgerEntry(posting, now), timestamp),
                    MeteringTopology.LEDGER_SINK);
        } else if (effect instanceof Effect.StatusChanged change) {
            log.info("account {} account='{}' balanceMicros={}", change.paused() ? "paused" : "resumed", accountId,
                    change.balanceMicros());
            forwardStatus(change, timestamp);
            // an agency's sub-accounts pause and resume with it, in the same transaction (issue 10, section 5)
            for (Effect.StatusChanged subAccount : StatusCascade.follow(change, agencyMembers.of(accountId))) {
                forwardStatus(subAccount, timestamp);
            }
        } else if (effect instanceof Effect.RechargeRequested request) {
            log.info("recharge requested account='{}' requestId='{}' amountCents={}", accountId, request.requestId(),
                    request.amountCents());
            context.forward(new Record<>(accountId, AvroMapping.rechargeRequest(request), now),
                    MeteringTopology.RECHARGE_SINK);
        } else if (effect instanceof Effect.Notify notify) {
            context.forward(new Record<>(accountId, AvroMapping.notification(notify), now),
                    MeteringTopology.NOTIFICATIONS_SINK);
        } else {
            throw new IllegalStateException("effect " + effect + " must be handled before apply");
        }
    }

    /** One {@code account-status} record, keyed by the account it is about. */
    void forwardStatus(Effect.StatusChanged change, long timestamp) {
        context.forward(new Record<>(change.accountId(), AvroMapping.statusChanged(change), timestamp),
                MeteringTopology.STATUS_SINK);
    }
}
