package dev.meterflow.local.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meterflow.local.deadletter.DeadLetter.Location;
import dev.meterflow.metering.payments.MakePayment;
import dev.meterflow.metering.payments.PlanFeeRules;
import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private static final Instant NOW = Instant.parse("2026-11-26T14:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(2);
    private static final Instant LONG_AGO = NOW.minus(Duration.ofHours(1));

    private final Story story = new Story();

    @Test
    void shouldFindNoDifferenceWhenEveryRecordAddsUp() {
        // given a recharge charged, credited and receipted, a usage debit, and a declined recharge
        story.rechargeSucceeded("a1", "rr-a1-1", 5_000);
        story.usage("a1", "evt-1", -Money.dollarsToMicros(30));
        story.rechargeDeclined("a1", "rr-a1-2", 4_000);
        story.foreignCharge();

        ReconciliationReport report = story.compare();

        assertThat(report.differences()).isEmpty();
        assertThat(report.open()).isEmpty();
        assertThat(report.ok()).isTrue();
        assertThat(report.gatewayChecked()).isTrue();
        assertThat(report.counts()).isEqualTo(new ReconciliationReport.Counts(1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 0));
    }

    @Test
    void shouldReplayEveryKindOfEntryOfIssue10IntoTheBalanceAndMissOneThatIsLeftOut() {
        // given a ledger with a payment, a plan fee charged directly (amount 0), a usage debit and the month's tax
        story.paymentSucceeded("agency", "cmd-1", 2_500);
        story.planFeeCharged("agency", "fee-1", 300);
        story.usage("agency", "evt-1", -Money.dollarsToMicros(4));
        story.tax("agency", "2026-10", -Money.dollarsToMicros(1));

        // then the replay adds up
        assertThat(story.compare().differences()).isEmpty();
        assertThat(story.balanceOf("agency")).isEqualTo(Money.dollarsToMicros(20));

        // and a balance that left out the tax is off by it
        story.balance("agency", Money.dollarsToMicros(21));
        assertThat(story.compare().differences()).singleElement().asString()
                .contains("account='agency'", "off by 1000000 micros");
    }

    /** Taxid: a sub-account moved between agencies within a month is taxed by each, under ids of their own. */
    @Test
    void shouldAcceptTheTaxLinesOfASubAccountMovedBetweenAgenciesWithinTheMonth() {
        story.subAccountTax("agency-a", "sub", "2026-10", -Money.dollarsToMicros(1));
        story.subAccountTax("agency-b", "sub", "2026-10", -Money.dollarsToMicros(2));

        assertThat(story.compare().differences()).isEmpty();
        assertThat(story.balanceOf("agency-a")).isEqualTo(-Money.dollarsToMicros(1));
        assertThat(story.balanceOf("agency-b")).isEqualTo(-Money.dollarsToMicros(2));
    }

    @Test
    void shouldMatchAOneTimePaymentToItsPaymentCreditByTheRequestIdDerivedFromTheCommand() {
        // issue 10: a PAYMENT's source is the command id, not the request id
        story.paymentSucceeded("a1", "cmd-1", 2_500);

        ReconciliationReport report = story.compare();

        assertThat(report.differences()).isEmpty();
        assertThat(report.counts().credits()).isEqualTo(1);
    }

    @Test
    void shouldMatchAPlanFeeChargedDirectlyToItsZeroEntryByTheRequestIdDerivedFromTheEvent() {
        // issue 10 §3: a PLAN_FEE_DIRECT entry's source is the usage event; it credits nothing, it names the fee
        story.planFeeCharged("a1", "ev-fee-1", 4_900);

        ReconciliationReport report = story.compare();

        assertThat(report.differences()).isEmpty();
        assertThat(report.counts().credits()).isEqualTo(1);
    }

    // ---- ledger replay = balances --------------------------------------------------------------------------

    @Test
    void shouldAccountAnUndecodablePaymentResultInTheDeadLetterQueueAsDeadLetteredNeverAsACharge() {
        // issue 16: a garbage record on payment-results, which metering dead-lettered, and one nobody did
        story.rechargeSucceeded("a1", "rr-a1-1", 5_000);
        story.undecodable(new Location("payment-results", 0, 7), true);
        story.undecodable(new Location("payment-results", 1, 3), false);

        ReconciliationReport report = story.compare();

        assertThat(report.counts().undecodableDeadLettered()).isEqualTo(1);
        assertThat(report.counts().results()).isEqualTo(1);
        assertThat(report.differences()).singleElement().satisfies(difference -> {
            assertThat(difference.check()).isEqualTo(Check.RESULTS);
            assertThat(difference.detail()).contains("payment-results-1@3", "in no dead letter queue");
        });
    }

    @Test
    void shouldReportABalanceThatIsNotTheSumOfItsLedgerEntries() {
        story.rechargeSucceeded("a1", "rr-a1-1", 5_000);
        story.balance("a1", Money.dollarsToMicros(49));

        assertThat(story.compare().differences()).singleElement().satisfies(difference -> {
            assertThat(difference.check()).isEqualTo(Check.LEDGER);
            assertThat(difference.accountId()).isEqualTo("a1");
            assertThat(difference.detail()).contains("account-balances says 49000000 micros",
                    "sum to 50000000 micros", "off by -1000000");
        });
    }

    @Test
    void shouldReportTheFirstEntryWhoseRunningBalanceIsWrong() {
        story.rechargeSucceeded("a1", "rr-a1-1", 5_000);
        story.entries.add(entry("a1", "forged", LedgerEntryKind.ADJUSTMENT, "x", 100, 999));
        story.entries.add(entry("a1", "later", LedgerEntryKind.ADJUSTMENT, "y", 100, 1_234));
        story.balance("a1", Money.dollarsToMicros(50) + 200);

        assertThat(story.compare().differences()).extracting(Difference::check, Difference::detail).containsExactly(
                tuple(Check.LEDGER, "running sum breaks at entry 'forged' (2 of 3): "
                        + "balanceAfterMicros 999, expected 50000100 (50000000 + 100)"));
    }

    @Test
    void shouldReportADoubledEntry() {
        story.rechargeSucceeded("a1", "rr-a1-1", 5_000);
        story.entries.add(story.entries.get(0));

        assertThat(story.compare().differences(Check.LEDGER)).extracting(Difference::detail)
                .anySatisfy(detail -> assertThat(detail).contains("entryId 'recharge:rr-a1-1' appears 2 times"));
    }

    @Test
    void shouldReportLedgerEntriesOfAnAccountWithoutABalance() {
        story.usage("a2", "evt-2", -500);
        story.balances.clear();

        assertThat(story.compare().differences()).extracting(Difference::accountId, Difference::detail)
                .containsExactly(tuple("a2",
                        "no account-balances record; its 1 ledger entries sum to -500 micros (-$0.000500)"));
    }

    // ---- recharge requests = payment results = credits -----------------------------------------------------

    @Test
    void shouldListARequestWithoutResultAsOpenWithinTheGracePeriodAndAsADifferenceAfter() {
        story.request("a1", "rr-young", 5_000, NOW.minusSeconds(30));
        story.request("a1", "rr-old", 5_000, NOW.minus(Duration.ofMinutes(10)));

        ReconciliationReport report = story.compare();

        assertThat(report.open()).extracting(OpenItem::requestId).containsExactly("rr-young");
        assertThat(report.differences()).extracting(Difference::check, Difference::requestId)
                .containsExactly(tuple(Check.RESULTS, "rr-old"));
        assertThat(report.differences().get(0).toString())
                .startsWith("RESULTS account='a1' requestId='rr-old': no payment result for the 5000 cents request");
    }

    @Test
    void shouldListABankPaymentThatIsProcessingAsOpenHoweverOld() {
        // issue 10 §2: a bank debit settles in days; the worker parked it and sent PAYMENT_PROCESSING
        story.request("a1", "pay-bank", 5_000, NOW.minus(Duration.ofDays(3)));
        story.notices.add(BillingNotification.newBuilder().setNotificationId("payment-processing:a1:pay-bank")
                .setAccountId("a1").setType(NotificationType.PAYMENT_PROCESSING).setEmailRecipients(List.of())
                .setSmsRecipients(List.of()).setSummary("on its way").setAttributes(Map.of("requestId", "pay-bank"))
                .setAt(NOW.minus(Duration.ofDays(3))).build());

        ReconciliationReport report = story.compare();

        assertThat(report.differences()).isEmpty();
        assertThat(report.open()).singleElement().satisfies(item -> {
            assertThat(item.requestId()).isEqualTo("pay-bank");
            assertThat(item.toString()).contains("processing");
        });
    }

    @Test
    void shouldReportAPaymentResultWithNoRequestOnlyOnce() {
        story.balance("a1", 0);
        story.results.add(result("a1", "rr-forged", PaymentStatus.SUCCEEDED, 9_900));

        assertThat(story.compare().differences()).singleElement().satisfies(difference -> {
            assertThat(difference.check()).isEqualTo(Check.RESULTS);
            assertThat(difference.requestId()).isEqualTo("rr-forged");
            assertThat(difference.detail()).isEqualTo("payment result SUCCEEDED for 9900 cents with no recharge request");
        });
    }

    @Test
    void shouldReportTwoResultsForOneRequest() {
        story.rechargeSucceeded("a1", "rr-a1-1", 5_000);
        story.results.add(result("a1", "rr-a1-1", PaymentStatus.DECLINED, 5_000));

        assertThat(story.compare().differences()).extracting(Difference::detail)
                .containsExactly("2 payment results [SUCCEEDED 5000 cents, DECLINED 5000 cents]; expected exactly one");
    }

    @Test
    void shouldReportASucceededResultThatWasNeverCredited() {
        story.rechargeSucceeded("a1", "rr-a1-1", 5_000);
        story.entries.clear();
        story.balances.clear();

        assertThat(story.compare().differences()).extracting(Difference::check, Difference::detail)
                .containsExactly(tuple(Check.RESULTS,
                        "SUCCEEDED for 5000 cents but no RECHARGE ledger entry (paid, not credited)"));
    }

    @Test
    void shouldReportACreditWithoutASucceededResult() {
        story.rechargeDeclined("a1", "rr-a1-1", 5_000);
        story.entries.add(entry("a1", "recharge:rr-a1-1", LedgerEntryKind.RECHARGE, "rr-a1-1", 50_000_000, 50_000_000));
        story.balance("a1", 50_000_000);

        assertThat(story.compare().differences()).extracting(Difference::detail).containsExactly(
                "RECHARGE ledger entry 'recharge:rr-a1-1' of 50000000 micros ($50.00) without a SUCCEEDED payment result");
    }

    // ---- succeeded results = receipts ----------------------------------------------------------------------

    @Test
    void shouldReportAMissingReceiptAndADoubledNotice() {
        story.rechargeSucceeded("a1", "rr-a1-1", 5_000);
        story.receipts.clear();
        story.notices.add(story.notices.get(0));

        assertThat(story.compare().differences()).extracting(Difference::check, Difference::detail).containsExactly(
                tuple(Check.RECEIPTS, "SUCCEEDED for 5000 cents but no receipt"),
                tuple(Check.RECEIPTS, "2 RECHARGE_RECEIPT notices; expected exactly one"));
    }

    // ---- receipts = the gateway's charges ------------------------------------------------------------------

    @Test
    void shouldReportARequestChargedTwice() {
        story.rechargeSucceeded("a1", "rr-a1-1", 5_000);
        story.charges.add(new GatewayCharge("pi_again", "rr-a1-1", "a1", 5_000, LONG_AGO));

        assertThat(story.compare().differences(Check.CHARGES)).singleElement().satisfies(difference -> assertThat(
                difference.detail()).isEqualTo("charged 2 times [pi_rr-a1-1 5000 cents, pi_again 5000 cents]; one "
                + "SUCCEEDED result for 5000 cents (duplicate charge)"));
    }

    @Test
    void shouldReportAChargeWhoseRequestWasDeclinedAsChargedNotCredited() {
        story.rechargeDeclined("a1", "rr-a1-1", 5_000);
        story.charges.add(new GatewayCharge("pi_1", "rr-a1-1", "a1", 5_000, LONG_AGO));

        assertThat(story.compare().differences()).extracting(Difference::toString).containsExactly(
                "CHARGES account='a1' requestId='rr-a1-1': charged [pi_1 5000 cents] at the gateway but payment result "
                        + "[DECLINED] (charged, not credited)");
    }

    @Test
    void shouldReportAChargeOfAnotherAmountAndASucceededResultWithoutCharge() {
        story.rechargeSucceeded("a1", "rr-a1-1", 5_000);
        story.rechargeSucceeded("a2", "rr-a2-1", 2_000);
        story.charges.set(0, new GatewayCharge("pi_1", "rr-a1-1", "a1", 4_999, LONG_AGO));
        story.charges.remove(1);

        assertThat(story.compare().differences()).extracting(Difference::requestId, Difference::detail).containsExactly(
                tuple("rr-a1-1",
                        "the gateway charged [pi_1 4999 cents], the result SUCCEEDED for 5000 cents"),
                tuple("rr-a2-1",
                        "SUCCEEDED for 2000 cents but no successful charge at the gateway"));
    }

    @Test
    void shouldSkipTheGatewayCheckWithoutAGateway() {
        story.rechargeSucceeded("a1", "rr-a1-1", 5_000);
        story.charges.clear();
        story.withoutGateway = true;

        ReconciliationReport report = story.compare();

        assertThat(report.gatewayChecked()).isFalse();
        assertThat(report.ok()).isTrue();
    }

    @Test
    void shouldLeaveOutRequestsBeforeSinceButReplayTheWholeLedger() {
        story.request("a1", "rr-before", 5_000, LONG_AGO);
        story.balance("a1", 1);

        ReconciliationReport report = story.compare(LONG_AGO.plusSeconds(1));

        assertThat(report.differences()).extracting(Difference::check).containsExactly(Check.LEDGER);
        assertThat(report.counts().requests()).isZero();
    }

    // ---- test data -----------------------------------------------------------------------------------------

    /** The records of a little world, consistent unless a test breaks them. */
    private static final class Story {
        final List<LedgerEntry> entries = new ArrayList<>();
        final List<AccountBalance> balances = new ArrayList<>();
        final List<RechargeRequest> requests = new ArrayList<>();
        final List<PaymentResult> results = new ArrayList<>();
        final List<Receipt> receipts = new ArrayList<>();
        final List<BillingNotification> notices = new ArrayList<>();
        final List<GatewayCharge> charges = new ArrayList<>();
        final List<ReconciliationInput.Undecodable> undecodable = new ArrayList<>();
        final Set<Location> deadLettered = new HashSet<>();
        boolean withoutGateway;

        void undecodable(Location source, boolean inADeadLetterQueue) {
            undecodable.add(new ReconciliationInput.Undecodable(Check.RESULTS, source, "a1", "cannot decode"));
            if (inADeadLetterQueue) {
                deadLettered.add(source);
            }
        }

        void rechargeSucceeded(String account, String requestId, long cents) {
            request(account, requestId, cents, LONG_AGO);
            results.add(result(account, requestId, PaymentStatus.SUCCEEDED, cents));
            long balance = balanceOf(account) + Money.centsToMicros(cents);
            entries.add(entry(account, "recharge:" + requestId, LedgerEntryKind.RECHARGE, requestId,
                    Money.centsToMicros(cents), balance));
            balance(account, balance);
            receipts.add(Receipt.newBuilder().setReceiptId("receipt:" + requestId).setRequestId(requestId)
                    .setAccountId(account).setAmountCents(cents).setCurrency("usd").setBrand("visa").setLast4("4242")
                    .setGatewayChargeId("ch_" + requestId).setChargedAt(LONG_AGO).setRecipients(List.of()).build());
            notices.add(BillingNotification.newBuilder().setNotificationId("recharge-receipt:" + account + ":"
                    + requestId).setAccountId(account).setType(NotificationType.RECHARGE_RECEIPT)
                    .setEmailRecipients(List.of()).setSmsRecipients(List.of()).setSummary("paid")
                    .setAttributes(Map.of("requestId", requestId)).setAt(LONG_AGO).build());
            charges.add(new GatewayCharge("pi_" + requestId, requestId, account, cents, LONG_AGO));
        }

        void paymentSucceeded(String account, String commandId, long cents) {
            String requestId = MakePayment.requestIdOf(account, commandId);
            rechargeSucceeded(account, requestId, cents);
            LedgerEntry recharge = entries.remove(entries.size() - 1);
            entries.add(entry(account, "payment:" + commandId, LedgerEntryKind.PAYMENT, commandId,
                    recharge.getAmountMicros(), recharge.getBalanceAfterMicros()));
        }

        void planFeeCharged(String account, String eventId, long cents) {
            String requestId = PlanFeeRules.requestIdOf(account, eventId);
            rechargeSucceeded(account, requestId, cents);
            entries.remove(entries.size() - 1);
            balances.remove(balances.size() - 1);
            entries.add(LedgerEntry.newBuilder(entry(account, "usage:" + eventId, LedgerEntryKind.PLAN_FEE_DIRECT,
                    eventId, 0, balanceOf(account))).setChargedAmountMicros(Money.centsToMicros(cents)).build());
            balance(account, balanceOf(account));
        }

        void rechargeDeclined(String account, String requestId, long cents) {
            request(account, requestId, cents, LONG_AGO);
            results.add(result(account, requestId, PaymentStatus.DECLINED, cents));
        }

        void usage(String account, String eventId, long micros) {
            long balance = balanceOf(account) + micros;
            entries.add(entry(account, "usage:" + eventId, LedgerEntryKind.USAGE, eventId, micros, balance));
            balance(account, balance);
        }

        void tax(String account, String month, long micros) {
            long balance = balanceOf(account) + micros;
            entries.add(entry(account, "tax:" + account + ":" + month, LedgerEntryKind.TAX, "tax:" + month, micros,
                    balance));
            balance(account, balance);
        }

        void subAccountTax(String agency, String subAccount, String month, long micros) {
            long balance = balanceOf(agency) + micros;
            String entryId = "tax:" + subAccount + ":" + month + ":via:" + agency;
            entries.add(LedgerEntry.newBuilder(entry(agency, entryId, LedgerEntryKind.TAX, entryId, micros, balance))
                    .setSourceAccountId(subAccount).build());
            balance(agency, balance);
        }

        void foreignCharge() {
            charges.add(new GatewayCharge("pi_someone_else", null, null, 1_000, LONG_AGO));
        }

        void request(String account, String requestId, long cents, Instant at) {
            requests.add(RechargeRequest.newBuilder().setRequestId(requestId).setAccountId(account)
                    .setReason(RechargeReason.AUTO_RECHARGE).setAmountCents(cents).setCurrency("usd")
                    .setPaymentMethods(List.of()).setBalanceMicros(0).setThresholdMicros(0).setTargetMicros(0)
                    .setRequestedAt(at).setBillingEmails(List.of()).build());
        }

        void balance(String account, long micros) {
            balances.add(AccountBalance.newBuilder().setAccountId(account).setBalanceMicros(micros)
                    .setStatus(AccountStatus.ACTIVE).setUpdatedAt(LONG_AGO).build());
        }

        long balanceOf(String account) {
            return balances.stream().filter(balance -> balance.getAccountId().equals(account))
                    .reduce((first, second) -> second).map(AccountBalance::getBalanceMicros).orElse(0L);
        }

        ReconciliationReport compare() {
            return compare(null);
        }

        ReconciliationReport compare(Instant since) {
            return Reconciler.compare(new ReconciliationInput(entries, balances, requests, results, receipts, notices,
                    withoutGateway ? null : charges, undecodable, null, deadLettered), NOW, GRACE, since);
        }
    }

    private static PaymentResult result(String account, String requestId, PaymentStatus status, long cents) {
        return PaymentResult.newBuilder().setRequestId(requestId).setAccountId(account)
                .setReason(RechargeReason.AUTO_RECHARGE).setStatus(status).setAmountCents(cents)
                .setAttempts(List.of()).setCompletedAt(LONG_AGO).build();
    }

    private static LedgerEntry entry(String account, String entryId, LedgerEntryKind kind, String sourceId,
                                     long micros, long balanceAfter) {
        return LedgerEntry.newBuilder().setEntryId(entryId).setAccountId(account).setSourceAccountId(account)
                .setKind(kind).setQuantity(0).setAmountMicros(micros).setBalanceAfterMicros(balanceAfter)
                .setSourceId(sourceId).setOccurredAt(LONG_AGO).setPostedAt(LONG_AGO).build();
    }
}
