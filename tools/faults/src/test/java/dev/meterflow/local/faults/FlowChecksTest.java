package dev.meterflow.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.gatewaysim.Charge;
import dev.meterflow.gatewaysim.ChargeStatus;
import dev.meterflow.metering.payments.MakePayment;
import dev.meterflow.metering.payments.PlanFeeRules;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.UsageEvent;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 in the fault suite: the checks of payments, bank debits, plan fees, sales tax and agencies, each able to
 * fail.
 */
class FlowChecksTest {

    private static final Instant AT = Instant.parse("2026-11-30T03:00:00Z");
    private static final long FEE_MICROS = 3_000_000;
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    /** a1 served in California, a2 in New York; a3 exempt. */
    private static final Map<String, Long> TAXED = Map.of("a1", 72_500L, "a2", 88_750L);

    // ---- one-time payments -----------------------------------------------------------------------------------

    @Test
    void shouldHoldWhenEveryPaymentIsCreditedOnceOrDeclinedOnce() {
        // given one payment credited and one declined
        List<PaymentCommand> commands = List.of(command("cmd-1", 2_000), command("cmd-2", 1_000));
        List<LedgerEntry> ledger = List.of(entry("payment:cmd-1", "a1", null, LedgerEntryKind.PAYMENT, "cmd-1",
                20_000_000));

        // when
        FlowChecks.Verdict verdict = FlowChecks.payments(commands, ledger, List.of(declined("cmd-2")));

        // then
        assertThat(verdict.ok()).as(verdict.wrong().toString()).isTrue();
        assertThat(verdict.figures()).containsEntry("payments credited", 1L)
                .containsEntry("payments declined (one notice each)", 1L);
    }

    @Test
    void shouldFailOnAPaymentCreditedTwiceOrBothCreditedAndDeclinedOrNeither() {
        // given a doubled credit, a credit with a decline notice, and a command with no outcome
        List<PaymentCommand> commands = List.of(command("cmd-1", 2_000), command("cmd-2", 1_000),
                command("cmd-3", 1_000));
        LedgerEntry credit = entry("payment:cmd-1", "a1", null, LedgerEntryKind.PAYMENT, "cmd-1", 20_000_000);
        List<LedgerEntry> ledger = List.of(credit, credit,
                entry("payment:cmd-2", "a1", null, LedgerEntryKind.PAYMENT, "cmd-2", 10_000_000));

        // when
        FlowChecks.Verdict verdict = FlowChecks.payments(commands, ledger, List.of(declined("cmd-2")));

        // then
        assertThat(verdict.ok()).isFalse();
        assertThat(verdict.wrong()).containsExactly(
                "cmd-1: 2 PAYMENT credits, 0 decline notices; want exactly one of them",
                "cmd-2: 1 PAYMENT credits, 1 decline notices; want exactly one of them",
                "cmd-3: 0 PAYMENT credits, 0 decline notices; want exactly one of them");
    }

    @Test
    void shouldFailOnAPaymentCreditOfAnotherAmountOrOfNoValidCommand() {
        // given a credit of the wrong amount, and one of a command that was not a valid one
        List<LedgerEntry> ledger = List.of(entry("payment:cmd-1", "a1", null, LedgerEntryKind.PAYMENT, "cmd-1", 1),
                entry("payment:too-small", "a1", null, LedgerEntryKind.PAYMENT, "too-small", 250_000));

        // when
        FlowChecks.Verdict verdict = FlowChecks.payments(List.of(command("cmd-1", 2_000)), ledger, List.of());

        // then
        assertThat(verdict.wrong()).hasSize(2).anySatisfy(line -> assertThat(line).startsWith("cmd-1: credited 1"))
                .anySatisfy(line -> assertThat(line).contains("too-small", "no valid command"));
    }

    // ---- the gateway's charge log ----------------------------------------------------------------------------

    @Test
    void shouldHoldWhenEveryChargeIsCreditedOnceWhateverItsKind() {
        // given a recharge, a bank payment and a plan fee, each charged once and credited once
        String payment = MakePayment.requestIdOf("a1", "cmd-1");
        String fee = PlanFeeRules.requestIdOf("a1", "ev-fee");
        List<Charge> charges = List.of(charge("rr-1", "pm_card_visa__a1", 1_200, ChargeStatus.SUCCEEDED),
                charge(payment, "pm_usBankAccount_success__a1", 2_500, ChargeStatus.SUCCEEDED),
                charge(fee, "pm_card_visa__a1", 300, ChargeStatus.SUCCEEDED),
                charge("rr-2", "pm_card_chargeDeclined__a1", 900, ChargeStatus.FAILED));
        List<LedgerEntry> ledger = List.of(entry("recharge:rr-1", "a1", null, LedgerEntryKind.RECHARGE, "rr-1",
                12_000_000), entry("payment:cmd-1", "a1", null, LedgerEntryKind.PAYMENT, "cmd-1", 25_000_000),
                planFeeDirect("ev-fee", FEE_MICROS));

        // when
        FlowChecks.Verdict verdict = FlowChecks.charges(charges, ledger, List.of(request("rr-1",
                RechargeReason.AUTO_RECHARGE), request(payment, RechargeReason.ONE_TIME_PAYMENT)));

        // then
        assertThat(verdict.ok()).as(verdict.wrong().toString()).isTrue();
        assertThat(verdict.figures()).containsEntry("bank debits (ACH) at the gateway", 1L)
                .containsEntry("bank debits settled", 1L).containsEntry("successful charges credited", 3L);
    }

    @Test
    void shouldFailOnABankDebitMadeTwiceForOneRequestOrStillPendingOrNeverCredited() {
        // given a bank payment debited twice (a worker that created the PaymentIntent again after a crash while it
        // was processing), and another still pending
        String payment = MakePayment.requestIdOf("a1", "cmd-1");
        String pending = MakePayment.requestIdOf("a1", "cmd-2");
        List<Charge> charges = List.of(charge(payment, "pm_usBankAccount_success__a1", 2_500, ChargeStatus.SUCCEEDED),
                charge(payment, "pm_usBankAccount_success__a1", 2_500, ChargeStatus.SUCCEEDED),
                charge(pending, "pm_usBankAccount_success__a1", 2_500, ChargeStatus.PENDING));
        List<LedgerEntry> ledger = List.of(entry("payment:cmd-1", "a1", null, LedgerEntryKind.PAYMENT, "cmd-1",
                25_000_000));

        // when
        FlowChecks.Verdict verdict = FlowChecks.charges(charges, ledger, List.of());

        // then
        assertThat(verdict.ok()).isFalse();
        assertThat(verdict.wrong()).contains(payment + " on pm_usBankAccount_success__a1: charged 2 times",
                pending + ": bank debit ch_" + pending + " still pending");
    }

    @Test
    void shouldFailOnAnAutomaticRechargeChargedToABankAccountAndOnAChargeCreditedTwice() {
        // given
        List<Charge> charges = List.of(charge("rr-1", "pm_usBankAccount_success__a1", 1_200, ChargeStatus.SUCCEEDED));
        LedgerEntry credit = entry("recharge:rr-1", "a1", null, LedgerEntryKind.RECHARGE, "rr-1", 12_000_000);

        // when
        FlowChecks.Verdict verdict = FlowChecks.charges(charges, List.of(credit, credit), List.of(request("rr-1",
                RechargeReason.AUTO_RECHARGE)));

        // then
        assertThat(verdict.wrong()).containsExactly("rr-1: an automatic recharge charged bank account "
                + "pm_usBankAccount_success__a1", "rr-1: charged 1200 cents, 2 ledger credits");
    }

    // ---- plan fees -------------------------------------------------------------------------------------------

    @Test
    void shouldHoldWhenAFeeIsChargedDirectlyOrDebitedAfterEveryCardDeclined() {
        // given one fee charged to the card, one debited
        List<LedgerEntry> ledger = List.of(planFeeDirect("ev-1", FEE_MICROS),
                entry("usage:ev-2", "a1", "a1", LedgerEntryKind.USAGE, "ev-2", -FEE_MICROS));
        List<Charge> charges = List.of(charge(PlanFeeRules.requestIdOf("a1", "ev-1"), "pm_card_visa__a1", 300,
                ChargeStatus.SUCCEEDED), charge(PlanFeeRules.requestIdOf("a1", "ev-2"), "pm_card_chargeDeclined__a1",
                300, ChargeStatus.FAILED));

        // when
        FlowChecks.Verdict verdict = FlowChecks.planFees(List.of(fee("ev-1"), fee("ev-2")), e -> FEE_MICROS, ledger,
                charges);

        // then
        assertThat(verdict.ok()).as(verdict.wrong().toString()).isTrue();
        assertThat(verdict.figures()).containsEntry("plan fees charged directly", 1L)
                .containsEntry("plan fees debited after every card declined", 1L);
    }

    @Test
    void shouldFailOnAFeeBothChargedAndDebitedOrDebitedThoughCharged() {
        // given a fee with both entries, and one debited though the gateway charged it
        List<LedgerEntry> ledger = List.of(planFeeDirect("ev-1", FEE_MICROS),
                entry("usage:ev-1", "a1", "a1", LedgerEntryKind.USAGE, "ev-1", -FEE_MICROS),
                entry("usage:ev-2", "a1", "a1", LedgerEntryKind.USAGE, "ev-2", -FEE_MICROS));
        List<Charge> charges = List.of(charge(PlanFeeRules.requestIdOf("a1", "ev-2"), "pm_card_visa__a1", 300,
                ChargeStatus.SUCCEEDED));

        // when
        FlowChecks.Verdict verdict = FlowChecks.planFees(List.of(fee("ev-1"), fee("ev-2")), e -> FEE_MICROS, ledger,
                charges);

        // then
        assertThat(verdict.wrong()).containsExactly(
                "ev-1: [PLAN_FEE_DIRECT, USAGE]; want one PLAN_FEE_DIRECT or one USAGE entry",
                "ev-2: USAGE debit of -3000000 micros, the gateway charged 300 cents; the fee is 3000000 micros");
    }

    // ---- agencies --------------------------------------------------------------------------------------------

    @Test
    void shouldHoldWhenASubAccountsEventsAreDebitedOnItsAgency() {
        // given
        List<LedgerEntry> ledger = List.of(entry("usage:ev-1", "agency", "sub-1", LedgerEntryKind.USAGE, "ev-1",
                -25_000));

        // when
        FlowChecks.Verdict verdict = FlowChecks.agencyDebits(Map.of("sub-1", "agency"), List.of(event("ev-1",
                "sub-1")), ledger);

        // then
        assertThat(verdict.ok()).isTrue();
        assertThat(verdict.figures()).containsEntry("sub-account events debited on their agency", 1L);
    }

    @Test
    void shouldFailOnASubAccountsEventDebitedOnTheSubAccount() {
        // given
        List<LedgerEntry> ledger = List.of(entry("usage:ev-1", "sub-1", "sub-1", LedgerEntryKind.USAGE, "ev-1",
                -25_000));

        // when
        FlowChecks.Verdict verdict = FlowChecks.agencyDebits(Map.of("sub-1", "agency"), List.of(event("ev-1",
                "sub-1")), ledger);

        // then
        assertThat(verdict.wrong()).containsExactly("ev-1 of sub-1: debited on sub-1 for sub-1; want on agency",
                "usage:ev-1: posted on sub-account sub-1");
    }

    @Test
    void shouldFailWhenASubAccountsLastStatusIsNotItsAgencys() {
        // given the agency paused and resumed; sub-1 followed it, sub-2 missed the resume
        List<AccountStatusChanged> statuses = List.of(status("agency", AccountStatus.PAUSED),
                status("sub-1", AccountStatus.PAUSED), status("sub-2", AccountStatus.PAUSED),
                status("agency", AccountStatus.ACTIVE), status("sub-1", AccountStatus.ACTIVE));

        // when
        FlowChecks.Verdict verdict = FlowChecks.cascade(Map.of("sub-1", "agency", "sub-2", "agency"), statuses);

        // then
        assertThat(verdict.wrong()).containsExactly("sub-2 ends PAUSED, its agency agency ACTIVE");
        assertThat(verdict.figures()).containsEntry("sub-account status changes (the agency's cascade)", 3L);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    // ---- monthly sales tax ----------------------------------------------------------------------------------

    @Test
    void shouldHoldWhenEachTaxedAccountHasOneTaxEntryOfItsMonthAndTheExemptNone() {
        // given October's usage of a1 ($3.00 fee + $10.05) taxed at 7.25 %, of a2 at 8.875 %, of exempt a3
        List<UsageEvent> october = List.of(inOctober(fee("ev-1")), inOctober(event("ev-2", "a1")),
                inOctober(event("ev-3", "a2")), inOctober(event("ev-4", "a3")));
        Map<String, Long> prices = Map.of("ev-1", FEE_MICROS, "ev-2", 10_050_000L, "ev-3", 1_000_000L,
                "ev-4", 5_000_000L);
        // 7.25 % of $13.05 is $0.946125: $0.95; 8.875 % of $1.00 is $0.08875: $0.09
        List<LedgerEntry> ledger = List.of(tax("a1", 13_050_000, -950_000), tax("a2", 1_000_000, -90_000));

        // when
        FlowChecks.Verdict verdict = FlowChecks.taxes(OCTOBER, List.of(), TAXED, october, october,
                e -> prices.get(e.getEventId()), ledger);

        // then
        assertThat(verdict.ok()).as(verdict.wrong().toString()).isTrue();
        assertThat(verdict.figures()).containsEntry("accounts taxed for the month before the run", 2L)
                .containsEntry("exempt accounts with taxable usage that month", 1L).containsEntry("TAX entries", 2L);
    }

    @Test
    void shouldFailOnATaxMissingDoubledMisroundedOrOfTheExempt() {
        // given a1 taxed twice, a2 rounded down, a3 (exempt) taxed, a4 (taxed) never
        Map<String, Long> taxed = Map.of("a1", 72_500L, "a2", 88_750L, "a4", 72_500L);
        List<UsageEvent> october = List.of(inOctober(event("ev-1", "a1")), inOctober(event("ev-2", "a2")),
                inOctober(event("ev-3", "a3")), inOctober(event("ev-4", "a4")));
        LedgerEntry a1 = tax("a1", 1_000_000, -70_000);
        List<LedgerEntry> ledger = List.of(a1, a1, tax("a2", 1_000_000, -80_000), tax("a3", 1_000_000, -70_000));

        // when
        FlowChecks.Verdict verdict = FlowChecks.taxes(OCTOBER, List.of(), taxed, october, october, e -> 1_000_000L,
                ledger);

        // then
        assertThat(verdict.wrong()).containsExactly(
                "tax:a1:2026-10: 2 TAX entries; want one of -70000 micros",
                "tax:a2:2026-10: -80000 micros on a base of 1000000 for 2026-10; want -90000 on 1000000 at 88750 ppm",
                "tax:a4:2026-10: 0 TAX entries; want one of -70000 micros",
                "tax:a3:2026-10: a TAX entry of no taxed account's month");
    }

    /**
     * A run from 2026-11-30 23:50 to 2026-12-01 00:20 UTC: November ended during it, and its tax run began while
     * usage flowed, so how much of November's usage it taxed is timing. RELIABILITY.md, "Monthly sales tax": the check
     * used to count every November entry as wrong.
     */
    @Test
    void shouldHoldAMonthThatEndedDuringTheRunToItsUsageWhateverPartOfItWasTaxed() {
        // given October taxed as always, and November's run: a1's line (part of its November usage, the rest waits
        // for a late line), and a late line of October's usage that came after October's run
        List<UsageEvent> october = List.of(inOctober(event("ev-1", "a1")));
        List<UsageEvent> run = List.of(october.get(0), inOctober(event("ev-2", "a1")), inNovember(event("ev-3", "a1")),
                inNovember(event("ev-4", "a1")), inNovember(event("ev-5", "a2")));
        List<YearMonth> ended = FlowChecks.monthsEnded(Instant.parse("2026-11-30T23:50:00Z"),
                Instant.parse("2026-12-01T00:20:00Z"));
        List<LedgerEntry> ledger = List.of(tax("a1", 1_000_000, -70_000),
                tax("tax:a1:2026-11", "a1", "2026-11", 1_000_000, -70_000),
                tax("tax:a1:2026-10:late:2026-11", "a1", "2026-10", 1_000_000, -70_000));

        // when
        FlowChecks.Verdict verdict = FlowChecks.taxes(OCTOBER, ended, TAXED, october, run, e -> 1_000_000L, ledger);

        // then
        assertThat(ended).containsExactly(YearMonth.of(2026, 11));
        assertThat(verdict.ok()).as(verdict.wrong().toString()).isTrue();
        assertThat(verdict.figures()).containsEntry("TAX entries", 1L)
                .containsEntry("TAX entries of a month that ended during the run", 2L);
        assertThat(FlowChecks.taxedByTheRunsOf(ended, ledger)).extracting(LedgerEntry::getEntryId)
                .containsExactly("tax:a1:2026-11", "tax:a1:2026-10:late:2026-11");
        // and the check before: every November entry counted as wrong
        assertThat(FlowChecks.taxes(OCTOBER, List.of(), TAXED, october, run, e -> 1_000_000L, ledger).wrong())
                .containsExactly("tax:a1:2026-11: a TAX entry of no taxed account's month",
                        "tax:a1:2026-10:late:2026-11: a TAX entry of no taxed account's month");
    }

    @Test
    void shouldFailOnAMidRunTaxMisroundedDoubledOfTheExemptOfAMonthNotEndedOrAboveTheUsage() {
        // given November ended during the run; a1's line misrounded, a2's twice, exempt a3 taxed, a December line,
        // and a1's late line of October above what October's usage leaves
        List<UsageEvent> october = List.of(inOctober(event("ev-1", "a1")));
        List<UsageEvent> run = List.of(october.get(0), inNovember(event("ev-2", "a1")), inNovember(event("ev-3", "a2")),
                inNovember(event("ev-4", "a3")));
        LedgerEntry a2 = tax("tax:a2:2026-11", "a2", "2026-11", 1_000_000, -90_000);
        List<LedgerEntry> ledger = List.of(tax("a1", 1_000_000, -70_000),
                tax("tax:a1:2026-11", "a1", "2026-11", 1_000_000, -80_000), a2, a2,
                tax("tax:a3:2026-11", "a3", "2026-11", 1_000_000, -70_000),
                tax("tax:a1:2026-12", "a1", "2026-12", 1_000_000, -70_000),
                tax("tax:a1:2026-10:late:2026-11", "a1", "2026-10", 1_000_000, -70_000));

        // when
        FlowChecks.Verdict verdict = FlowChecks.taxes(OCTOBER, List.of(YearMonth.of(2026, 11)), TAXED, october, run,
                e -> 1_000_000L, ledger);

        // then
        assertThat(verdict.wrong()).containsExactly(
                "tax:a1:2026-12: a TAX entry of no taxed account's month",
                "tax:a1:2026-11: -80000 micros on a base of 1000000; want -70000 at 72500 ppm",
                "tax:a2:2026-11: 2 TAX entries; want at most one",
                "tax:a3:2026-11: a TAX entry of no taxed account's month",
                "tax of a1 in 2026-10: bases of 2000000 micros taxed, above its taxable usage of 1000000 micros");
    }

    @Test
    void shouldNameTheMonthsThatEndedDuringARun() {
        assertThat(FlowChecks.monthsEnded(Instant.parse("2026-11-30T03:00:00Z"),
                Instant.parse("2026-11-30T03:20:00Z"))).isEmpty();
        assertThat(FlowChecks.monthsEnded(Instant.parse("2026-11-30T23:59:59Z"),
                Instant.parse("2026-12-01T00:00:00Z"))).containsExactly(YearMonth.of(2026, 11));
        assertThat(FlowChecks.monthsEnded(Instant.parse("2026-12-31T22:00:00Z"),
                Instant.parse("2027-02-01T01:00:00Z"))).containsExactly(YearMonth.of(2026, 12), YearMonth.of(2027, 1));
    }

    @Test
    void shouldRoundTheTaxHalfUpToTheCent() {
        // $1.00 at 0.5 %: half a cent, up; $0.99 at 0.5 %: 0.495 cents, down; $2.00 at 7.25 %: exactly 14.5 cents
        assertThat(FlowChecks.taxMicros(1_000_000, 5_000)).isEqualTo(10_000);
        assertThat(FlowChecks.taxMicros(990_000, 5_000)).isZero();
        assertThat(FlowChecks.taxMicros(2_000_000, 72_500)).isEqualTo(150_000);
    }

    private static UsageEvent inOctober(UsageEvent event) {
        return UsageEvent.newBuilder(event).setOccurredAt(Instant.parse("2026-10-31T12:00:00Z")).build();
    }

    private static UsageEvent inNovember(UsageEvent event) {
        return UsageEvent.newBuilder(event).setOccurredAt(Instant.parse("2026-11-30T23:40:00Z")).build();
    }

    private static LedgerEntry tax(String account, long baseMicros, long micros) {
        return tax("tax:" + account + ":2026-10", account, "2026-10", baseMicros, micros);
    }

    private static LedgerEntry tax(String entryId, String account, String period, long baseMicros, long micros) {
        return LedgerEntry.newBuilder(entry(entryId, account, account, LedgerEntryKind.TAX, entryId, micros))
                .setTaxPeriod(period).setTaxableBaseMicros(baseMicros).build();
    }

    private static PaymentCommand command(String commandId, long cents) {
        return PaymentCommand.newBuilder().setCommandId(commandId).setAccountId("a1").setAmountCents(cents)
                .setPaymentMethodId(null).setRequestedAt(AT).build();
    }

    private static BillingNotification declined(String commandId) {
        return BillingNotification.newBuilder().setNotificationId("payment-declined:a1:" + commandId)
                .setAccountId("a1").setType(NotificationType.PAYMENT_DECLINED).setEmailRecipients(List.of())
                .setSmsRecipients(List.of()).setSummary("declined")
                .setAttributes(Map.of("requestId", MakePayment.requestIdOf("a1", commandId))).setAt(AT).build();
    }

    private static LedgerEntry entry(String entryId, String account, String source, LedgerEntryKind kind,
                                     String sourceId, long micros) {
        return LedgerEntry.newBuilder().setEntryId(entryId).setAccountId(account)
                .setSourceAccountId(source == null ? account : source).setKind(kind).setSku(null).setQuantity(1)
                .setAmountMicros(micros).setBalanceAfterMicros(0).setSourceId(sourceId).setOccurredAt(AT)
                .setPostedAt(AT).build();
    }

    private static LedgerEntry planFeeDirect(String eventId, long feeMicros) {
        return LedgerEntry.newBuilder(entry("usage:" + eventId, "a1", "a1", LedgerEntryKind.PLAN_FEE_DIRECT, eventId,
                0)).setChargedAmountMicros(feeMicros).build();
    }

    private static Charge charge(String requestId, String method, long cents, ChargeStatus status) {
        return new Charge("ch_" + requestId, "pi_" + requestId, cents, "usd", "cus_a1", method, requestId, "a1",
                status, null, null, null, AT);
    }

    private static RechargeRequest request(String requestId, RechargeReason reason) {
        PaymentMethodRef card = PaymentMethodRef.newBuilder().setPaymentMethodId("pm_card_visa__a1")
                .setCustomerId("cus_a1").setType(PaymentMethodType.CARD).setBrand("visa").setLast4("0000")
                .setRole(PaymentMethodRole.PRIMARY).build();
        return RechargeRequest.newBuilder().setRequestId(requestId).setAccountId("a1").setReason(reason)
                .setAmountCents(1_200).setCurrency("USD").setPaymentMethods(List.of(card)).setBalanceMicros(0)
                .setThresholdMicros(0).setTargetMicros(0).setRequestedAt(AT).setBillingEmails(List.of())
                .setCriticalBillingPhone(null).build();
    }

    private static UsageEvent fee(String eventId) {
        return UsageEvent.newBuilder(event(eventId, "a1")).setSku(Workload.PLAN_FEE_SKU).build();
    }

    private static UsageEvent event(String eventId, String account) {
        return UsageEvent.newBuilder().setEventId(eventId).setAccountId(account).setSku("call.minutes.local")
                .setQuantity(60).setOccurredAt(AT).setAttributes(Map.of()).build();
    }

    private static AccountStatusChanged status(String account, AccountStatus status) {
        return AccountStatusChanged.newBuilder().setAccountId(account).setStatus(status).setReason("test")
                .setBalanceMicros(0).setAt(AT).build();
    }
}
