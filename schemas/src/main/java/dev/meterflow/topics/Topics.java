package dev.meterflow.topics;

import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.TaxRate;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.schemas.UsageRollup;
import dev.meterflow.serde.AvroSerdes;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the wire contract (CONTRACT.md), with its key and value serdes: the one place that
 * names them. Keys are UTF-8 strings; values are Avro single-object encoded.
 */
public final class Topics {

    /** Header on {@code usage-unpriced} (and other parking topics): why the record could not be used. */
    public static final String REASON_HEADER = "meterflow.reason";
    /** Header on parking topics: a human-readable explanation of the reason. */
    public static final String DETAIL_HEADER = "meterflow.detail";

    public static final Topic<String, UsageEvent> USAGE_EVENTS = byAccount("usage-events", UsageEvent.class, false);
    public static final Topic<String, AccountSettings> ACCOUNT_SETTINGS =
            byAccount("account-settings", AccountSettings.class, true);
    public static final Topic<String, RateCard> RATE_CARDS = byOtherKey("rate-cards", RateCard.class, true);
    public static final Topic<String, TaxRate> TAX_RATES = byOtherKey("tax-rates", TaxRate.class, true);
    public static final Topic<String, PaymentCommand> PAYMENT_COMMANDS =
            byAccount("payment-commands", PaymentCommand.class, false);
    public static final Topic<String, LedgerEntry> LEDGER_ENTRIES =
            byAccount("ledger-entries", LedgerEntry.class, false);
    public static final Topic<String, AccountBalance> ACCOUNT_BALANCES =
            byAccount("account-balances", AccountBalance.class, true);
    public static final Topic<String, AccountStatusChanged> ACCOUNT_STATUS =
            byAccount("account-status", AccountStatusChanged.class, true);
    public static final Topic<String, RechargeRequest> RECHARGE_REQUESTS =
            byAccount("recharge-requests", RechargeRequest.class, false);
    public static final Topic<String, PaymentResult> PAYMENT_RESULTS =
            byAccount("payment-results", PaymentResult.class, false);
    public static final Topic<String, Receipt> RECEIPTS = byAccount("receipts", Receipt.class, false);
    public static final Topic<String, BillingNotification> BILLING_NOTIFICATIONS =
            byAccount("billing-notifications", BillingNotification.class, false);
    /** Key {@code accountId/yyyy-mm-dd/sku}; see {@link #rollupKey}. */
    public static final Topic<String, UsageRollup> USAGE_ROLLUPS =
            byOtherKey("usage-rollups", UsageRollup.class, true);
    /** Decodable usage that cannot be priced yet, with header {@value #REASON_HEADER}. */
    public static final Topic<String, UsageEvent> USAGE_UNPRICED =
            byAccount("usage-unpriced", UsageEvent.class, false);
    /** Records the metering topology could not decode or process, as received, with Kafka Streams' DLQ headers. */
    public static final Topic<byte[], byte[]> METERING_DLQ =
            new Topic<>("metering-dlq", Serdes.ByteArray(), Serdes.ByteArray(), false, false);
    /**
     * Not in the contract's table: payment results the metering topology cannot match to an account or a
     * pending request, with header {@value #REASON_HEADER}. A SUCCEEDED one means money was taken and not
     * credited, so an operator must look at every record here.
     */
    public static final Topic<String, PaymentResult> PAYMENT_RESULTS_UNMATCHED =
            byAccount("payment-results-unmatched", PaymentResult.class, false);
    /**
     * Not in the contract's table: account settings the metering topology refused (the previous settings stay in
     * force), as received, with header {@value #REASON_HEADER} (a {@code SettingsRefusal.Reason}) and
     * {@value #DETAIL_HEADER} (a message the Billing Settings page can show).
     */
    public static final Topic<String, AccountSettings> ACCOUNT_SETTINGS_REJECTED =
            byAccount("account-settings-rejected", AccountSettings.class, false);
    /**
     * Not in the contract's table: payment commands the metering topology refused (nothing was charged), as
     * received, with header {@value #REASON_HEADER} (a {@code PaymentRefusal.Reason}) and {@value #DETAIL_HEADER}
     * (a message the Billing Settings page can show).
     */
    public static final Topic<String, PaymentCommand> PAYMENT_COMMANDS_REJECTED =
            byAccount("payment-commands-rejected", PaymentCommand.class, false);

    /**
     * Not in the contract's table: the recharge worker's attempt log (compacted, key requestId), written before
     * and after every gateway call. Internal to the worker; its values are the worker's own record.
     */
    public static final Topic<String, byte[]> RECHARGE_ATTEMPTS =
            new Topic<>("recharge-attempts", Serdes.String(), Serdes.ByteArray(), true, false);
    /** Not in the contract's table: recharge requests the worker could not decode, as received, with a reason. */
    public static final Topic<byte[], byte[]> RECHARGE_REQUESTS_DLQ =
            new Topic<>("recharge-requests-dlq", Serdes.ByteArray(), Serdes.ByteArray(), false, false);

    public static final List<Topic<?, ?>> ALL = List.of(USAGE_EVENTS, ACCOUNT_SETTINGS, RATE_CARDS, TAX_RATES,
            PAYMENT_COMMANDS, LEDGER_ENTRIES, ACCOUNT_BALANCES, ACCOUNT_STATUS, RECHARGE_REQUESTS, PAYMENT_RESULTS,
            RECEIPTS, BILLING_NOTIFICATIONS, USAGE_ROLLUPS, USAGE_UNPRICED, METERING_DLQ, PAYMENT_RESULTS_UNMATCHED,
            ACCOUNT_SETTINGS_REJECTED, PAYMENT_COMMANDS_REJECTED, RECHARGE_ATTEMPTS, RECHARGE_REQUESTS_DLQ);

    private Topics() {
    }

    /** The key of a {@code usage-rollups} record: {@code accountId/yyyy-mm-dd/sku}. */
    public static String rollupKey(String accountId, java.time.LocalDate day, String sku) {
        return accountId + "/" + day + "/" + sku;
    }

    private static <V extends SpecificRecord> Topic<String, V> byAccount(String name, Class<V> type,
                                                                        boolean compacted) {
        return new Topic<>(name, Serdes.String(), AvroSerdes.of(type), compacted, true);
    }

    private static <V extends SpecificRecord> Topic<String, V> byOtherKey(String name, Class<V> type,
                                                                         boolean compacted) {
        return new Topic<>(name, Serdes.String(), AvroSerdes.of(type), compacted, false);
    }
}
