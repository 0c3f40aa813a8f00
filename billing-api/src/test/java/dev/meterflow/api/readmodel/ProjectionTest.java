package dev.meterflow.api.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.api.readmodel.ReadModelRow.BillingLogRow;
import dev.meterflow.api.readmodel.ReadModelRow.ClosingBalanceRow;
import dev.meterflow.api.readmodel.ReadModelRow.LedgerTotalRow;
import dev.meterflow.api.readmodel.ReadModelRow.PaymentRow;
import dev.meterflow.api.readmodel.ReadModelRow.PlanFeeChargeRow;
import dev.meterflow.api.readmodel.ReadModelRow.RefusalRow;
import dev.meterflow.api.readmodel.ReadModelRow.SettingsRow;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.topics.RequestIds;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ProjectionTest {

    private static final Instant AT = Instant.parse("2026-03-31T23:59:59.500Z");

    @Test
    void shouldLogASettingsChangeWithWhoMadeIt() {
        var rows = Projection.settings("a1", TestRecords.settings("a1", AT), "user:admin@a1.example");

        assertThat(rows).hasSize(2);
        assertThat(((SettingsRow) rows.get(0)).paymentMethodsJson()).contains("\"last4\":\"4242\"");
        BillingLogRow log = (BillingLogRow) rows.get(1);
        assertThat(log.logId()).isEqualTo("settings:a1:" + AT.toEpochMilli());
        assertThat(log.actor()).isEqualTo("user:admin@a1.example");
        assertThat(log.summary()).isEqualTo("Billing settings saved: auto-recharge on, threshold $15.00, "
                + "1 payment method(s)");
    }

    @Test
    void shouldClearTheSettingsOnATombstone() {
        SettingsRow row = (SettingsRow) Projection.settings("a1", null, null).get(0);
        assertThat(row.accountId()).isEqualTo("a1");
        assertThat(row.ratePlanId()).isNull();
    }

    @Test
    void shouldKeepADeclineWithItsCodesAndExplainItInWords() {
        var rows = Projection.paymentResult("a1", TestRecords.result("a1", "rr-1", PaymentStatus.DECLINED, 1_234, AT));

        PaymentRow payment = (PaymentRow) rows.get(0);
        assertThat(payment.declineCodes()).isEqualTo("insufficient_funds");
        assertThat(payment.day()).isEqualTo(LocalDate.of(2026, 3, 31));
        assertThat(((BillingLogRow) rows.get(1)).summary())
                .isEqualTo("Charge of $12.34 (automatic recharge) not made."
                        + " Declined: the card has insufficient funds.");
    }

    @Test
    void shouldKeepOnlyTheDaysCloseAndTotalOfALedgerEntryOnItsUtcDay() {
        var rows = Projection.ledgerEntry("a1", TestRecords.usageEntry("a1", "e1", -12_000, 7_000_000, AT));

        assertThat(rows).containsExactly(new ClosingBalanceRow("a1", LocalDate.of(2026, 3, 31), 7_000_000, AT,
                "usage:e1"), new LedgerTotalRow("a1", LocalDate.of(2026, 3, 31), "USAGE", "call.minutes.local",
                -12_000, 60));
    }

    /** Issue 11: a plan fee charged directly moves no balance; what the card paid is kept for statements. */
    @Test
    void shouldKeepWhatAPlanFeeChargedDirectlyPaidWithItsMethodAndRequest() {
        var fee = TestRecords.usageEntry("a1", "fee-event", 0, 7_000_000, AT);
        fee.setKind(LedgerEntryKind.PLAN_FEE_DIRECT);
        fee.setSku("plan.fee.monthly");
        fee.setChargedAmountMicros(45_000_000);
        fee.setPaymentMethodId("pm_card_visa");

        var rows = Projection.ledgerEntry("a1", fee);

        assertThat(rows).contains(new LedgerTotalRow("a1", LocalDate.of(2026, 3, 31), "PLAN_FEE_DIRECT",
                "plan.fee.monthly", 0, 60), new PlanFeeChargeRow("a1", LocalDate.of(2026, 3, 31), "usage:fee-event",
                RequestIds.planFee("a1", "fee-event"), "plan.fee.monthly", 45_000_000, "pm_card_visa", AT));
    }

    @Test
    void shouldRefuseARecordWhoseKeyIsNotItsAccount() {
        assertThatThrownBy(() -> Projection.balance("a2", TestRecords.balance("a1", 0, AT)))
                .hasMessage("key 'a2' differs from the record's accountId 'a1'");
    }

    @Test
    void shouldNotLogReceiptNoticesTwice() {
        var receiptNotice = TestRecords.paused("a1", "x", AT);
        receiptNotice.setType(dev.meterflow.schemas.NotificationType.RECHARGE_RECEIPT);
        assertThat(Projection.notification("a1", receiptNotice)).as("the payment result logs the charge").isEmpty();
        assertThat(Projection.notification("a1", TestRecords.paused("a1", "x", AT))).hasSize(1);
    }

    @Test
    void shouldKeepARefusedSettingsChangeWithItsMessageAndWhoMadeIt() {
        var rows = Projection.settingsRefused("a1", TestRecords.settings("a1", AT), "RECHARGE_ABOVE_LIMIT",
                "the recharge-to amount is above $100.00.", "user:admin@a1.example");

        assertThat(rows).containsExactly(new RefusalRow("SETTINGS", "a1", AT, "a1", "RECHARGE_ABOVE_LIMIT",
                        "the recharge-to amount is above $100.00.", "user:admin@a1.example"),
                new BillingLogRow("settings-refused:a1:" + AT.toEpochMilli(), "a1", AT, "SETTINGS_REFUSED",
                        "Billing settings change refused, the previous settings stay: the recharge-to amount is above"
                                + " $100.00.", "user:admin@a1.example"));
    }

    @Test
    void shouldKeepARefusedPaymentButNotARefusedRetryOfAnAcceptedOne() {
        var command = TestRecords.command("a1", "pay-a1-1", 2_500, AT);

        var refused = Projection.paymentCommandRefused("a1", command, "NO_USABLE_PAYMENT_METHOD", "add a card.", null);
        var duplicate = Projection.paymentCommandRefused("a1", command, "DUPLICATE_COMMAND", "already received.",
                null);

        assertThat(refused).first().isEqualTo(new RefusalRow("PAYMENT", "pay-a1-1", AT, "a1",
                "NO_USABLE_PAYMENT_METHOD", "add a card.", null));
        assertThat(((BillingLogRow) refused.get(1)).summary())
                .isEqualTo("Payment of $25.00 refused, nothing charged: add a card.");
        assertThat(duplicate).as("the first command's outcome stands").isEmpty();
    }
}
