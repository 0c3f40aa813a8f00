package dev.meterflow.metering.topology;

import dev.meterflow.metering.errors.DeadLetters;
import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.Decision;
import dev.meterflow.metering.ledger.Effect;
import dev.meterflow.metering.ledger.Ledger;
import dev.meterflow.metering.tax.PlanFeeTax;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.topics.Topics;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's result for a payment request: applied once by the {@link Ledger}; a result no request of this
 * account is waiting for is parked on {@code payment-results-unmatched} with a reason.
 */
final class PaymentResultHandler {

    private static final Logger log = LoggerFactory.getLogger(PaymentResultHandler.class);

    private final Ledger ledger;
    private final AccountStore accounts;
    private final Dedup dedup;
    private final DecisionWriter writer;
    private final Parking parking;
    private final MeteringMetrics metrics;
    private final UsageDebit usageDebit;

    PaymentResultHandler(Ledger ledger, AccountStore accounts, Dedup dedup, DecisionWriter writer, Parking parking,
                         MeteringMetrics metrics, UsageDebit usageDebit) {
        this.usageDebit = usageDebit;
        this.ledger = ledger;
        this.accounts = accounts;
        this.dedup = dedup;
        this.writer = writer;
        this.parking = parking;
        this.metrics = metrics;
    }

    void handle(Record<String, Object> record, PaymentResult result) {
        String accountId = record.key();
        AccountState state = accounts.stored(accountId);
        if (state == null || !Objects.equals(accountId, result.getAccountId())) {
            park(record, result, "UNKNOWN_ACCOUNT", "payment result for request '" + result.getRequestId()
                    + "' names account '" + result.getAccountId() + "' (record key '" + accountId
                    + "'), which has no balance here");
            return;
        }
        String dedupKey = Dedup.key('p', accountId, result.getRequestId());
        // a duplicate only if this outcome was applied; another outcome for an applied request (a SUCCEEDED after
        // a DECLINED) is not pending any more and must reach payment-results-unmatched, not be skipped
        if (result.getStatus().name().equals(dedup.remembered(dedupKey))) {
            metrics.duplicatePaymentResult();
            log.info("duplicate payment result skipped account='{}' requestId='{}' status={}", accountId,
                    result.getRequestId(), result.getStatus());
            return;
        }
        BillingSettings current = accounts.settings(accountId);
        BillingSettings settings = current == null ? AvroMapping.closedAccount(accountId) : current;
        Decision decision = ledger.applyPaymentResult(state, settings, AvroMapping.paymentOutcome(result),
                record.timestamp());
        for (Effect effect : decision.effects()) {
            if (effect instanceof Effect.Unmatched unmatched) {
                park(record, result, unmatched.reason(), unmatched.detail());
                return;
            }
        }
        log.info("payment result applied account='{}' requestId='{}' status={} amountCents={}", accountId,
                result.getRequestId(), result.getStatus(), result.getAmountCents());
        // a plan fee joined the taxable base when it was asked, unless an earlier release asked it
        state.openPlanFee(result.getRequestId())
                .flatMap(fee -> PlanFeeTax.atResult(fee, accountId, settings.ratePlanId()))
                .ifPresent(fee -> usageDebit.indexForTax(fee.usage(), fee.ratePlanId(), fee.amountMicros(),
                        accountId, Optional.empty()));
        writer.apply(accountId, record.timestamp(), state, decision);
        dedup.remember(dedupKey, result.getStatus().name());
    }

    private void park(Record<String, Object> record, PaymentResult result, String reason, String detail) {
        metrics.unmatchedPaymentResult(reason);
        log.error("payment result parked reason={} account='{}' requestId='{}' status={} amountCents={}: {}",
                reason, DeadLetters.boundedKey(record.key()), DeadLetters.boundedKey(result.getRequestId()),
                result.getStatus(), result.getAmountCents(), DeadLetters.forLog(detail));
        parking.park(record, result, Topics.PAYMENT_RESULTS_UNMATCHED, MeteringTopology.UNMATCHED_PAYMENTS_SINK,
                reason, detail);
    }
}
