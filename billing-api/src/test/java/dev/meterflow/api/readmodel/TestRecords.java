package dev.meterflow.api.readmodel;

import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AttemptOutcome;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentAttempt;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.UsageRollup;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Contract records for the read model's tests. */
public final class TestRecords {

    private TestRecords() {
    }

    public static AccountSettings settings(String accountId, Instant at) {
        return AccountSettings.newBuilder().setAccountId(accountId).setRatePlanId("standard")
                .setParentAccountId(null)
                .setAutoRecharge(AutoRecharge.newBuilder().setEnabled(true).setMode(AutoRechargeMode.TOP_UP_TO_TARGET)
                        .setThresholdMicros(15_000_000).setTargetMicros(50_000_000).setAmountMicros(0).build())
                .setPaymentMethods(List.of(PaymentMethodRef.newBuilder().setPaymentMethodId("pm_card_visa")
                        .setCustomerId("cus_" + accountId).setType(PaymentMethodType.CARD).setBrand("visa")
                        .setLast4("4242").setRole(PaymentMethodRole.PRIMARY).build()))
                .setBillingEmails(List.of("billing@" + accountId + ".example")).setCriticalBillingPhone(null)
                .setDirectChargePlanFee(false).setServiceAddress(null).setTaxExempt(false).setUpdatedAt(at).build();
    }

    public static AccountBalance balance(String accountId, long micros, Instant at) {
        return AccountBalance.newBuilder().setAccountId(accountId).setBalanceMicros(micros)
                .setStatus(micros < 0 ? AccountStatus.PAUSED : AccountStatus.ACTIVE).setPendingRechargeId(null)
                .setUpdatedAt(at).build();
    }

    public static PaymentResult result(String accountId, String requestId, PaymentStatus status, long cents,
                                       Instant at) {
        boolean ok = status == PaymentStatus.SUCCEEDED;
        return PaymentResult.newBuilder().setRequestId(requestId).setAccountId(accountId)
                .setReason(RechargeReason.AUTO_RECHARGE).setStatus(status).setAmountCents(cents)
                .setPaymentMethodId(ok ? "pm_card_visa" : null).setGatewayChargeId(ok ? "ch_" + requestId : null)
                .setAttempts(List.of(PaymentAttempt.newBuilder().setPaymentMethodId("pm_card_visa")
                        .setOutcome(ok ? AttemptOutcome.SUCCEEDED : AttemptOutcome.DECLINED_SOFT)
                        .setDeclineCode(ok ? null : "insufficient_funds").setGatewayReference("pi_" + requestId)
                        .setAt(at).build()))
                .setCompletedAt(at).build();
    }

    public static Receipt receipt(String accountId, String requestId, long cents, Instant at) {
        return Receipt.newBuilder().setReceiptId("receipt:" + requestId).setRequestId(requestId)
                .setAccountId(accountId).setAmountCents(cents).setCurrency("USD").setBrand("visa").setLast4("4242")
                .setGatewayChargeId("ch_" + requestId).setChargedAt(at).setRecipients(List.of()).build();
    }

    public static BillingNotification paused(String accountId, String cause, Instant at) {
        return BillingNotification.newBuilder().setNotificationId("account-paused:" + accountId + ":" + cause)
                .setAccountId(accountId).setType(NotificationType.ACCOUNT_PAUSED).setEmailRecipients(List.of())
                .setSmsRecipients(List.of()).setSummary("Account " + accountId + " paused: balance below zero")
                .setAttributes(Map.of()).setAt(at).build();
    }

    public static UsageRollup rollup(String accountId, LocalDate day, String sku, long events) {
        return UsageRollup.newBuilder().setAccountId(accountId).setDay(day).setSku(sku).setQuantity(events * 60)
                .setAmountMicros(events * 12_000).setEventCount(events).build();
    }

    public static LedgerEntry usageEntry(String accountId, String eventId, long amountMicros, long balanceAfter,
                                         Instant at) {
        return LedgerEntry.newBuilder().setEntryId("usage:" + eventId).setAccountId(accountId)
                .setSourceAccountId(accountId).setKind(LedgerEntryKind.USAGE).setSku("call.minutes.local")
                .setQuantity(60).setAmountMicros(amountMicros).setBalanceAfterMicros(balanceAfter)
                .setSourceId(eventId).setOccurredAt(at).setPostedAt(at).build();
    }

    public static PaymentCommand command(String accountId, String commandId, long cents, Instant at) {
        return PaymentCommand.newBuilder().setCommandId(commandId).setAccountId(accountId).setAmountCents(cents)
                .setPaymentMethodId(null).setRequestedAt(at).build();
    }
}
