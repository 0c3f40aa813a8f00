package dev.meterflow.local.reconcile;

import dev.meterflow.local.deadletter.DeadLetter;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.RechargeRequest;
import java.util.List;
import java.util.Set;

/**
 * Everything the reconciliation compares, as read: each list in topic order (per partition, so per account).
 *
 * @param balances      account-balances records; the last one of an account is its balance
 * @param notifications billing-notifications of every type (only RECHARGE_RECEIPT ones are compared)
 * @param charges       the gateway's successful charges, or {@code null} when no gateway was given
 * @param undecodable   records that could not be decoded, as {@code topic-partition@offset: reason}
 * @param usage         the usage inputs and their fates, or {@code null} to skip {@link Check#USAGE}
 * @param deadLettered  every record {@code metering-dlq} and {@code recharge-requests-dlq} hold, by the source
 *                      their headers name: an undecodable record found there is accounted for, not a difference
 */
public record ReconciliationInput(List<LedgerEntry> ledgerEntries, List<AccountBalance> balances,
                                  List<RechargeRequest> requests, List<PaymentResult> results,
                                  List<Receipt> receipts, List<BillingNotification> notifications,
                                  List<GatewayCharge> charges, List<Undecodable> undecodable,
                                  UsageAccounting.Input usage, Set<DeadLetter.Location> deadLettered) {

    public ReconciliationInput {
        ledgerEntries = List.copyOf(ledgerEntries);
        balances = List.copyOf(balances);
        requests = List.copyOf(requests);
        results = List.copyOf(results);
        receipts = List.copyOf(receipts);
        notifications = List.copyOf(notifications);
        charges = charges == null ? null : List.copyOf(charges);
        undecodable = List.copyOf(undecodable);
        deadLettered = Set.copyOf(deadLettered);
    }

    /**
     * A record of a compared topic that is not a record of its type: a difference, unless a dead letter queue
     * holds it (the app that reads the topic refused it, so it was never taken for a payment or a request).
     */
    public record Undecodable(Check check, DeadLetter.Location source, String key, String reason) {

        /** {@code topic-partition@offset key 'k'}. */
        public String location() {
            return source + " key '" + key + "'";
        }
    }
}
