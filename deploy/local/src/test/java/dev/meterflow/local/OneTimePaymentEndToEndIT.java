package dev.meterflow.local;

import static dev.meterflow.local.LiveRecords.settingsFor;
import static dev.meterflow.testdata.PaymentMethodBuilder.aCardWithInsufficientFunds;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.local.LiveRecords.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Make a Payment end to end (issue 10, §1): a payment command into the metering topology, its ONE_TIME_PAYMENT
 * request charged by the recharge worker against the gateway simulator, and its result credited back, on a real
 * broker.
 */
class OneTimePaymentEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final RunningPipeline pipeline = RunningPipeline.perClass("meterflow-e2e-payment");
    private static final EndToEndCluster cluster = pipeline.cluster();

    @Test
    void shouldChargeAOneTimePaymentOnceCreditItAndResumeThePausedAccount() {
        // given a paused account without automatic recharge: $9 of numbers on a zero balance
        String account = "acct-e2e-pays";
        cluster.publish(Topics.ACCOUNT_SETTINGS, account,
                settingsFor(account).autoRechargeOff().paymentMethods(aVisaCard()).build());
        cluster.publish(Topics.USAGE_EVENTS, account,
                aUsageEvent().withEventId("pays-numbers").forAccount(account).sku(LOCAL_NUMBER).quantity(3).build());
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.values(Topics.ACCOUNT_STATUS, account))
                .extracting(AccountStatusChanged::getStatus).containsExactly(AccountStatus.PAUSED));

        // when its admin pays $25, and the page sends the command twice
        PaymentCommand command = command(account, "cmd-e2e-pays", 2_500, null);
        cluster.publish(Topics.PAYMENT_COMMANDS, account, command);
        cluster.publish(Topics.PAYMENT_COMMANDS, account, command);

        // then one PAYMENT of $25 whose source is the command, charged once, with a receipt
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.values(Topics.LEDGER_ENTRIES, account))
                .extracting(LedgerEntry::getKind, LedgerEntry::getAmountMicros, LedgerEntry::getBalanceAfterMicros,
                        LedgerEntry::getSourceId)
                .containsExactly(
                        tuple(LedgerEntryKind.USAGE, -dollars(9), -dollars(9), "pays-numbers"),
                        tuple(LedgerEntryKind.PAYMENT, dollars(25), dollars(16), "cmd-e2e-pays")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.values(Topics.ACCOUNT_STATUS, account))
                .extracting(AccountStatusChanged::getStatus)
                .containsExactly(AccountStatus.PAUSED, AccountStatus.ACTIVE));
        RechargeRequest request = cluster.values(Topics.RECHARGE_REQUESTS, account).stream().filter(r ->
                r.getReason() == RechargeReason.ONE_TIME_PAYMENT).findFirst().orElseThrow();
        assertThat(cluster.values(Topics.RECHARGE_REQUESTS, account)).hasSize(1);
        assertThat(pipeline.gateway().successfulChargesByRequestId().get(request.getRequestId())).singleElement()
                .satisfies(charge -> assertThat(charge.amountCents()).isEqualTo(2_500));
        assertThat(cluster.values(Topics.RECEIPTS, account)).singleElement()
                .satisfies(receipt -> assertThat(receipt.getRequestId()).isEqualTo(request.getRequestId()));
        await().atMost(WAIT).untilAsserted(() -> assertThat(rejectedReasons(account))
                .containsExactly("DUPLICATE_COMMAND"));
    }

    @Test
    void shouldTellTheBillingEmailsWhenAOneTimePaymentIsDeclinedAndCreditNothing() {
        // given an account with $0 and a card that declines
        String account = "acct-e2e-pays-declined";
        cluster.publish(Topics.ACCOUNT_SETTINGS, account, settingsFor(account).autoRechargeOff()
                .paymentMethods(aVisaCard().primary(), aCardWithInsufficientFunds().backup()).build());

        // when its admin pays $40 with the declining card
        cluster.publish(Topics.PAYMENT_COMMANDS, account,
                command(account, "cmd-e2e-declined", 4_000, "pm_card_chargeDeclinedInsufficientFunds"));

        // then a PAYMENT_DECLINED notice names the payment, and nothing is credited or charged
        await().atMost(WAIT).until(() -> notifications(account, NotificationType.PAYMENT_DECLINED),
                notices -> !notices.isEmpty());
        assertThat(notifications(account, NotificationType.PAYMENT_DECLINED)).singleElement().satisfies(notice -> {
            assertThat(notice.getAttributes()).containsEntry("reason", "ONE_TIME_PAYMENT")
                    .containsEntry("declineCodes", "insufficient_funds");
            assertThat(notice.getSummary()).startsWith("Your payment of $40.00 was not charged");
        });
        assertThat(cluster.values(Topics.PAYMENT_RESULTS, account)).extracting(PaymentResult::getStatus)
                .containsExactly(PaymentStatus.DECLINED);
        // the result was applied (the account's balance is republished only when it changes, so look at the log)
        assertThat(cluster.values(Topics.LEDGER_ENTRIES, account)).isEmpty();
        assertThat(cluster.records(Topics.PAYMENT_RESULTS_UNMATCHED.name(), IsolationLevel.READ_COMMITTED))
                .noneMatch(record -> account.equals(EndToEndCluster.keyOf(record)));
        assertThat(pipeline.gateway().successfulChargesByRequestId().values()).allSatisfy(charges -> assertThat(charges)
                .noneMatch(charge -> account.equals(charge.accountId())));
    }

    private static PaymentCommand command(String account, String commandId, long amountCents, String methodId) {
        return PaymentCommand.newBuilder().setCommandId(commandId).setAccountId(account).setAmountCents(amountCents)
                .setPaymentMethodId(methodId).setRequestedAt(Instant.now()).build();
    }

    private static List<String> rejectedReasons(String account) {
        return cluster.records(Topics.PAYMENT_COMMANDS_REJECTED.name(), IsolationLevel.READ_COMMITTED).stream()
                .filter(record -> account.equals(EndToEndCluster.keyOf(record)))
                .map(record -> EndToEndCluster.header(record, Topics.REASON_HEADER)).toList();
    }

    private static List<BillingNotification> notifications(String account, NotificationType type) {
        return cluster.values(Topics.BILLING_NOTIFICATIONS, account).stream()
                .filter(notice -> notice.getType() == type).toList();
    }
}
