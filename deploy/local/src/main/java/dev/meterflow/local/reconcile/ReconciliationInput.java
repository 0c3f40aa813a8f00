package dev.meterflow.local.reconcile;

import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.RechargeRequest;
import java.util.List;

/**
 * Everything the reconciliation compares, as read: each list in topic order (per partition, so per account).
 *
 * @param balances      account-balances records; the last one of an account is its balance
 * @param notifications billing-notifications of every type (only RECHARGE_RECEIPT ones are compared)
 * @param charges       the gateway's successful charges, or {@code null} when no gateway was given
 * @param undecodable   records that could not be decoded, as {@code topic-partition@offset: reason}
 * @param usage         the usage inputs and their fates, or {@code null} to skip {@link Check#USAGE}
 */
public record ReconciliationInput(List<LedgerEntry> ledgerEntries, List<AccountBalance> balances,
                                  List<RechargeRequest> requests, List<PaymentResult> results,
                                  List<Receipt> receipts, List<BillingNotification> notifications,
                                  List<GatewayCharge> charges, List<Undecodable> undecodable,
                                  UsageAccounting.Input usage) {

    public ReconciliationInput {
        ledgerEntries = List.copyOf(ledgerEntries);
        balances = List.copyOf(balances);
        requests = List.copyOf(requests);
        results = List.copyOf(results);
        receipts = List.copyOf(receipts);
        notifications = List.copyOf(notifications);
        charges = charges == null ? null : List.copyOf(charges);
        undecodable = List.copyOf(undecodable);
    }

    /** A record of a compared topic that is not a record of its type: a difference in itself. */
    public record Undecodable(Check check, String location, String reason) {
    }
}
