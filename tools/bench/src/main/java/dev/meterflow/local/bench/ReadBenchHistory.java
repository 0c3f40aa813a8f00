package dev.meterflow.local.bench;

import dev.meterflow.api.readmodel.Projection;
import dev.meterflow.api.readmodel.ReadModelRow;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AttemptOutcome;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentAttempt;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.UsageRollup;
import dev.meterflow.topics.Topics;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The read model's rows for one account's recent history, made from contract records by the read model's own
 * {@link Projection}: settings, a day's usage entry and rollup for each of {@code days} days before today, a $100
 * recharge on the first day and $50 ones a third and two thirds of the way, each with its result and receipt, and
 * the balance. The same account id always gets the same history.
 */
final class ReadBenchHistory {

    static final String SKU = "call.minutes.local";
    private static final long OPENING_MICROS = 100_000_000;
    private static final long TOP_UP_MICROS = 50_000_000;

    private ReadBenchHistory() {
    }

    static String accountId(int index) {
        return String.format("acct-%06d", index);
    }

    static List<ReadModelRow> of(String accountId, LocalDate today, int days) {
        SplittableRandom random = new SplittableRandom(accountId.hashCode());
        LocalDate first = today.minusDays(days);
        List<ReadModelRow> rows = new ArrayList<>(110);
        rows.addAll(Projection.settings(accountId, settings(accountId, first.atStartOfDay(ZoneOffset.UTC)
                .toInstant()), null));
        long balance = 0;
        for (int day = 0; day < days; day++) {
            Instant morning = first.plusDays(day).atTime(8, 0).toInstant(ZoneOffset.UTC);
            if (day == 0 || day == days / 3 || day == 2 * days / 3) {
                long amount = day == 0 ? OPENING_MICROS : TOP_UP_MICROS;
                balance += amount;
                rows.addAll(recharge(accountId, "rr-" + accountId + "-" + day, amount, balance, morning));
            }
            long spent = 1_000_000 + random.nextLong(2_000_000);
            balance -= spent;
            Instant noon = morning.plusSeconds(4 * 3600);
            rows.addAll(Projection.ledgerEntry(accountId, entry(accountId, "usage:" + accountId + "-" + day,
                    LedgerEntryKind.USAGE, SKU, -spent, balance, noon)));
            rows.addAll(Projection.usageRollup(Topics.rollupKey(accountId, first.plusDays(day), SKU),
                    rollup(accountId, first.plusDays(day), spent)));
        }
        rows.addAll(Projection.balance(accountId, AccountBalance.newBuilder().setAccountId(accountId)
                .setBalanceMicros(balance).setStatus(AccountStatus.ACTIVE).setPendingRechargeId(null)
                .setUpdatedAt(today.atStartOfDay(ZoneOffset.UTC).toInstant()).build()));
        return rows;
    }

    private static List<ReadModelRow> recharge(String accountId, String requestId, long micros, long balance,
                                               Instant at) {
        long cents = micros / 10_000;
        List<ReadModelRow> rows = new ArrayList<>(Projection.ledgerEntry(accountId, entry(accountId,
                "recharge:" + requestId, LedgerEntryKind.RECHARGE, null, micros, balance, at)));
        rows.addAll(Projection.paymentResult(accountId, PaymentResult.newBuilder().setRequestId(requestId)
                .setAccountId(accountId).setReason(RechargeReason.AUTO_RECHARGE).setStatus(PaymentStatus.SUCCEEDED)
                .setAmountCents(cents).setPaymentMethodId("pm_card_visa").setGatewayChargeId("ch_" + requestId)
                .setAttempts(List.of(PaymentAttempt.newBuilder().setPaymentMethodId("pm_card_visa")
                        .setOutcome(AttemptOutcome.SUCCEEDED).setDeclineCode(null)
                        .setGatewayReference("pi_" + requestId).setAt(at).build()))
                .setCompletedAt(at).build()));
        rows.addAll(Projection.receipt(accountId, Receipt.newBuilder().setReceiptId("receipt:" + requestId)
                .setRequestId(requestId).setAccountId(accountId).setAmountCents(cents).setCurrency("USD")
                .setBrand("visa").setLast4("4242").setGatewayChargeId("ch_" + requestId).setChargedAt(at)
                .setRecipients(List.of()).build()));
        return rows;
    }

    static LedgerEntry entry(String accountId, String entryId, LedgerEntryKind kind, String sku, long micros,
                             long balance, Instant at) {
        return LedgerEntry.newBuilder().setEntryId(entryId).setAccountId(accountId).setSourceAccountId(accountId)
                .setKind(kind).setSku(sku).setQuantity(kind == LedgerEntryKind.USAGE ? 60 : 0).setAmountMicros(micros)
                .setBalanceAfterMicros(balance).setSourceId(entryId).setOccurredAt(at).setPostedAt(at).build();
    }

    static UsageRollup rollup(String accountId, LocalDate day, long micros) {
        return UsageRollup.newBuilder().setAccountId(accountId).setDay(day).setSku(SKU).setQuantity(60)
                .setAmountMicros(micros).setEventCount(1).build();
    }

    private static AccountSettings settings(String accountId, Instant at) {
        return AccountSettings.newBuilder().setAccountId(accountId).setRatePlanId("standard")
                .setParentAccountId(null)
                .setAutoRecharge(AutoRecharge.newBuilder().setEnabled(true).setMode(AutoRechargeMode.TOP_UP_TO_TARGET)
                        .setThresholdMicros(15_000_000).setTargetMicros(65_000_000).setAmountMicros(0).build())
                .setPaymentMethods(List.of(PaymentMethodRef.newBuilder().setPaymentMethodId("pm_card_visa")
                        .setCustomerId("cus_" + accountId).setType(PaymentMethodType.CARD).setBrand("visa")
                        .setLast4("4242").setRole(PaymentMethodRole.PRIMARY).build()))
                .setBillingEmails(List.of("billing@" + accountId + ".example")).setCriticalBillingPhone(null)
                .setDirectChargePlanFee(false).setServiceAddress(null).setTaxExempt(false).setUpdatedAt(at).build();
    }
}
