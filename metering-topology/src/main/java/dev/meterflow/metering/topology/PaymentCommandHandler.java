package dev.meterflow.metering.topology;

import dev.meterflow.metering.errors.DeadLetters;
import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.Ledger;
import dev.meterflow.metering.payments.MakePayment;
import dev.meterflow.metering.payments.PaymentCommandRules;
import dev.meterflow.metering.payments.PaymentRefusal;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.topics.Topics;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Make a Payment command: checked by {@link PaymentCommandRules}, then asked of the worker by the
 * {@link Ledger} as a ONE_TIME_PAYMENT request; a refused one is counted and parked on
 * {@code payment-commands-rejected} with a reason and a message the Billing Settings page can show.
 */
final class PaymentCommandHandler {

    private static final Logger log = LoggerFactory.getLogger(PaymentCommandHandler.class);

    private final Ledger ledger;
    private final PaymentCommandRules rules;
    private final AccountStore accounts;
    private final Dedup dedup;
    private final DecisionWriter writer;
    private final Parking parking;
    private final MeteringMetrics metrics;

    PaymentCommandHandler(Ledger ledger, PaymentCommandRules rules, AccountStore accounts, Dedup dedup,
                          DecisionWriter writer, Parking parking, MeteringMetrics metrics) {
        this.ledger = ledger;
        this.rules = rules;
        this.accounts = accounts;
        this.dedup = dedup;
        this.writer = writer;
        this.parking = parking;
        this.metrics = metrics;
    }

    void handle(Record<String, Object> record, PaymentCommand command) {
        String accountId = record.key();
        MakePayment payment = AvroMapping.payment(command);
        String dedupKey = Dedup.key('c', accountId, command.getCommandId());
        BillingSettings settings = accounts.settings(accountId);
        AccountState stored = accounts.stored(accountId);
        PaymentCommandRules.Outcome outcome = rules.check(accountId, payment, settings, stored,
                dedup.seen(dedupKey));
        if (outcome instanceof PaymentCommandRules.Refused refused) {
            refuse(record, command, refused.refusal());
            return;
        }
        PaymentCommandRules.Accepted accepted = (PaymentCommandRules.Accepted) outcome;
        AccountState state = stored == null ? AccountState.opening() : stored;
        log.info("payment accepted account='{}' commandId='{}' requestId='{}' amountCents={}", accountId,
                command.getCommandId(), payment.requestId(), command.getAmountCents());
        writer.apply(accountId, record.timestamp(), stored == null ? null : state,
                ledger.applyPayment(state, settings, payment, accepted.paymentMethods(), record.timestamp()));
        // last: a command is only marked handled once its request has been written
        dedup.remember(dedupKey, payment.requestId());
    }

    private void refuse(Record<String, Object> record, PaymentCommand command, PaymentRefusal refusal) {
        String reason = refusal.reason().name();
        metrics.paymentRejected(reason);
        log.warn("payment refused account='{}' commandId='{}' amountCents={} reason={}: {}",
                DeadLetters.boundedKey(record.key()), DeadLetters.boundedKey(command.getCommandId()),
                command.getAmountCents(), reason, refusal.message());
        parking.park(record, command, Topics.PAYMENT_COMMANDS_REJECTED, MeteringTopology.REJECTED_PAYMENTS_SINK,
                reason, refusal.message());
    }
}
