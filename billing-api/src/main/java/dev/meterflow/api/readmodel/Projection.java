package dev.meterflow.api.readmodel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterflow.api.payments.DeclineReasons;
import dev.meterflow.api.payments.PaymentRequestIds;
import dev.meterflow.api.readmodel.ReadModelRow.BalanceRow;
import dev.meterflow.api.readmodel.ReadModelRow.BillingLogRow;
import dev.meterflow.api.readmodel.ReadModelRow.ClosingBalanceRow;
import dev.meterflow.api.readmodel.ReadModelRow.DailyUsageRow;
import dev.meterflow.api.readmodel.ReadModelRow.LedgerTotalRow;
import dev.meterflow.api.readmodel.ReadModelRow.PaymentCommandRow;
import dev.meterflow.api.readmodel.ReadModelRow.PaymentRow;
import dev.meterflow.api.readmodel.ReadModelRow.PlanFeeChargeRow;
import dev.meterflow.api.readmodel.ReadModelRow.ReceiptRow;
import dev.meterflow.api.readmodel.ReadModelRow.RefusalRow;
import dev.meterflow.api.readmodel.ReadModelRow.SettingsRow;
import dev.meterflow.api.readmodel.ReadModelRow.StatusRow;
import dev.meterflow.api.readmodel.ReadModelRow.TaxLineRow;
import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentAttempt;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.UsageRollup;
import dev.meterflow.topics.RequestIds;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the read model writes for one decoded record: a pure function of the record (and the actor header
 * the API puts on its own writes), no database, no Kafka.
 */
public final class Projection {

    /** Header the API puts on what it writes to {@code account-settings} and {@code payment-commands}: who. */
    public static final String ACTOR_HEADER = "meterflow.actor";

    // payment activity is logged from payment-results, which also covers FAILED results that send no notice
    private static final Set<NotificationType> LOGGED_NOTICES = Set.of(NotificationType.ACCOUNT_PAUSED,
            NotificationType.ACCOUNT_RESUMED, NotificationType.LOW_BALANCE, NotificationType.STATEMENT_READY);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String SETTINGS_REFUSAL = "SETTINGS";
    public static final String PAYMENT_REFUSAL = "PAYMENT";
    // the pipeline's PaymentRefusal.Reason for a command id it already accepted
    private static final String DUPLICATE_COMMAND = "DUPLICATE_COMMAND";

    private Projection() {
    }

    public static List<ReadModelRow> settings(String key, AccountSettings settings, String actor) {
        if (settings == null) {
            return List.of(new SettingsRow(key, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null));
        }
        requireSameAccount(key, settings.getAccountId());
        var recharge = settings.getAutoRecharge();
        SettingsRow row = new SettingsRow(key, settings.getRatePlanId(), settings.getParentAccountId(),
                recharge.getEnabled(), recharge.getMode().name(), recharge.getThresholdMicros(),
                recharge.getTargetMicros(), recharge.getAmountMicros(), json(methods(settings.getPaymentMethods())),
                json(settings.getBillingEmails()), settings.getCriticalBillingPhone(),
                settings.getDirectChargePlanFee(), settings.getServiceAddress() == null ? null
                        : json(address(settings)), settings.getTaxExempt(), settings.getUpdatedAt());
        BillingLogRow log = new BillingLogRow("settings:" + key + ":" + settings.getUpdatedAt().toEpochMilli(), key,
                settings.getUpdatedAt(), "SETTINGS_CHANGED", "Billing settings saved: auto-recharge "
                + (recharge.getEnabled() ? "on" : "off") + ", threshold " + Money.format(recharge.getThresholdMicros())
                + ", " + settings.getPaymentMethods().size() + " payment method(s)", actor);
        return List.of(row, log);
    }

    public static List<ReadModelRow> balance(String key, AccountBalance balance) {
        requireSameAccount(key, balance.getAccountId());
        return List.of(new BalanceRow(key, balance.getBalanceMicros(), balance.getStatus().name(),
                balance.getPendingRechargeId(), balance.getUpdatedAt()));
    }

    public static List<ReadModelRow> status(String key, AccountStatusChanged status) {
        requireSameAccount(key, status.getAccountId());
        return List.of(new StatusRow(key, status.getStatus().name(), status.getReason(), status.getAt()));
    }

    public static List<ReadModelRow> paymentResult(String key, PaymentResult result) {
        requireSameAccount(key, result.getAccountId());
        List<String> codes = result.getAttempts().stream().map(PaymentAttempt::getDeclineCode)
                .filter(Objects::nonNull).distinct().toList();
        String status = result.getStatus().name();
        PaymentRow payment = new PaymentRow(result.getRequestId(), result.getCompletedAt(), key,
                result.getReason().name(), status, result.getAmountCents(), result.getPaymentMethodId(),
                result.getGatewayChargeId(), String.join(", ", codes));
        String amount = Money.formatCents(result.getAmountCents());
        String summary = "SUCCEEDED".equals(status)
                ? "Charged " + amount + " (" + words(result.getReason().name()) + ")"
                : "Charge of " + amount + " (" + words(result.getReason().name()) + ") not made. "
                + DeclineReasons.describe(status, codes);
        return List.of(payment, new BillingLogRow("payment:" + result.getRequestId(), key, result.getCompletedAt(),
                "PAYMENT_" + status, summary, null));
    }

    public static List<ReadModelRow> receipt(String key, Receipt receipt) {
        requireSameAccount(key, receipt.getAccountId());
        return List.of(new ReceiptRow(receipt.getReceiptId(), receipt.getChargedAt(), receipt.getRequestId(), key,
                receipt.getAmountCents(), receipt.getCurrency(), receipt.getBrand(), receipt.getLast4(),
                receipt.getGatewayChargeId()));
    }

    public static List<ReadModelRow> notification(String key, BillingNotification notice) {
        requireSameAccount(key, notice.getAccountId());
        if (!LOGGED_NOTICES.contains(notice.getType())) {
            return List.of();
        }
        return List.of(new BillingLogRow("notice:" + notice.getNotificationId(), key, notice.getAt(),
                notice.getType().name(), notice.getSummary(), null));
    }

    public static List<ReadModelRow> paymentCommand(String key, PaymentCommand command, String actor) {
        requireSameAccount(key, command.getAccountId());
        return List.of(new PaymentCommandRow(command.getCommandId(), key, command.getAmountCents(),
                        command.getPaymentMethodId(), command.getRequestedAt(), actor,
                        PaymentRequestIds.of(key, command.getCommandId())),
                new BillingLogRow("command:" + command.getCommandId(), key, command.getRequestedAt(),
                        "PAYMENT_REQUESTED", "Payment of " + Money.formatCents(command.getAmountCents())
                        + " requested", actor));
    }

    /** Settings the pipeline refused ({@code account-settings-rejected}): the account kept its previous ones. */
    public static List<ReadModelRow> settingsRefused(String key, AccountSettings settings, String reason,
                                                     String message, String actor) {
        requireSameAccount(key, settings.getAccountId());
        Instant at = settings.getUpdatedAt();
        return List.of(new RefusalRow(SETTINGS_REFUSAL, key, at, key, reason, message, actor),
                new BillingLogRow("settings-refused:" + key + ":" + at.toEpochMilli(), key, at, "SETTINGS_REFUSED",
                        "Billing settings change refused, the previous settings stay: " + message, actor));
    }

    /**
     * A payment command the pipeline refused ({@code payment-commands-rejected}); nothing was charged. A refused
     * duplicate is a retry of a command already accepted: the first one's outcome stands, so it writes nothing.
     */
    public static List<ReadModelRow> paymentCommandRefused(String key, PaymentCommand command, String reason,
                                                           String message, String actor) {
        requireSameAccount(key, command.getAccountId());
        if (DUPLICATE_COMMAND.equals(reason)) {
            return List.of();
        }
        Instant at = command.getRequestedAt();
        return List.of(new RefusalRow(PAYMENT_REFUSAL, command.getCommandId(), at, key, reason, message, actor),
                new BillingLogRow("command-refused:" + command.getCommandId() + ":" + at.toEpochMilli(), key, at,
                        "PAYMENT_REFUSED", "Payment of " + Money.formatCents(command.getAmountCents())
                        + " refused, nothing charged: " + message, actor));
    }

    public static List<ReadModelRow> usageRollup(String key, UsageRollup rollup) {
        String expectedKey = rollup.getAccountId() + "/" + rollup.getDay() + "/" + rollup.getSku();
        if (!expectedKey.equals(key)) {
            throw new IllegalArgumentException("key '" + key + "' is not the rollup's '" + expectedKey + "'");
        }
        return List.of(new DailyUsageRow(rollup.getAccountId(), rollup.getDay(), rollup.getSku(),
                rollup.getQuantity(), rollup.getAmountMicros(), rollup.getEventCount()));
    }

    /**
     * Per-event rows are not kept (the data team has {@code ledger-entries}): only the day's close, its totals per
     * kind and SKU, taxes, and plan fees charged to a payment method (their entries move no balance, so the totals
     * cannot show what was paid).
     */
    public static List<ReadModelRow> ledgerEntry(String key, LedgerEntry entry) {
        requireSameAccount(key, entry.getAccountId());
        List<ReadModelRow> rows = new ArrayList<>(3);
        LocalDate posted = Days.utc(entry.getPostedAt());
        rows.add(new ClosingBalanceRow(key, posted, entry.getBalanceAfterMicros(), entry.getPostedAt(),
                entry.getEntryId()));
        rows.add(new LedgerTotalRow(key, posted, entry.getKind().name(), entry.getSku() == null ? ""
                : entry.getSku(), entry.getAmountMicros(), entry.getQuantity()));
        if (entry.getKind() == LedgerEntryKind.TAX) {
            rows.add(new TaxLineRow(entry.getEntryId(), key, entry.getAmountMicros(), entry.getOccurredAt(),
                    entry.getTaxPeriod(), entry.getTaxJurisdiction(), entry.getTaxableBaseMicros(),
                    entry.getTaxRatePpm()));
        }
        if (entry.getKind() == LedgerEntryKind.PLAN_FEE_DIRECT) {
            // the topology charged it under the request id it derives from the fee's usage event, the entry's source
            rows.add(new PlanFeeChargeRow(key, posted, entry.getEntryId(), RequestIds.planFee(key, entry.getSourceId()),
                    entry.getSku() == null ? "" : entry.getSku(), entry.getChargedAmountMicros(),
                    entry.getPaymentMethodId(), entry.getPostedAt()));
        }
        return rows;
    }

    private static void requireSameAccount(String key, String accountId) {
        if (!Objects.equals(key, accountId)) {
            throw new IllegalArgumentException("key '" + key + "' differs from the record's accountId '"
                    + accountId + "'");
        }
    }

    private static String words(String reason) {
        return switch (reason) {
            case "AUTO_RECHARGE" -> "automatic recharge";
            case "ONE_TIME_PAYMENT" -> "one-time payment";
            case "PLAN_FEE_DIRECT" -> "plan fee";
            default -> reason.toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static List<Map<String, Object>> methods(List<PaymentMethodRef> methods) {
        return methods.stream().map(method -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("paymentMethodId", method.getPaymentMethodId());
            fields.put("customerId", method.getCustomerId());
            fields.put("type", method.getType().name());
            fields.put("brand", method.getBrand());
            fields.put("last4", method.getLast4());
            fields.put("role", method.getRole().name());
            if (method.getExpMonth() != null) {
                fields.put("expMonth", method.getExpMonth());
                fields.put("expYear", method.getExpYear());
            }
            return fields;
        }).toList();
    }

    private static Map<String, String> address(AccountSettings settings) {
        var address = settings.getServiceAddress();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("line1", address.getLine1());
        fields.put("city", address.getCity());
        fields.put("region", address.getRegion());
        fields.put("postalCode", address.getPostalCode());
        fields.put("country", address.getCountry());
        return fields;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
