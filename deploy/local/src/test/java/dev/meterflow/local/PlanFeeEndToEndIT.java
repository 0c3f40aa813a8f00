package dev.meterflow.local;

import static dev.meterflow.local.LiveRecords.settingsFor;
import static dev.meterflow.testdata.PaymentMethodBuilder.aCardWithInsufficientFunds;
import static dev.meterflow.testdata.PaymentMethodBuilder.aStolenCard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.PLAN_FEE;
import static dev.meterflow.testdata.TestData.PLAN_FEE_PRICE;
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
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The direct charge of the plan fee end to end (issue 10, §3): an opted-in account's plan fee becomes a
 * PLAN_FEE_DIRECT request that the recharge worker charges against the gateway simulator, on a real broker;
 * charged, the balance is unchanged; declined on every card, it is debited instead.
 */
class PlanFeeEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final RunningPipeline pipeline = RunningPipeline.perClass("meterflow-e2e-plan-fee");
    private static final EndToEndCluster cluster = pipeline.cluster();

    @Test
    void shouldChargeThePlanFeeToTheCardOnceAndLeaveTheBalanceUnchanged() {
        // given an opted-in account with $6 of numbers debited (no automatic recharge)
        String account = "acct-e2e-fee-card";
        cluster.publish(Topics.ACCOUNT_SETTINGS, account, settingsFor(account).autoRechargeOff()
                .directChargePlanFee().paymentMethods(aVisaCard()).build());
        cluster.publish(Topics.USAGE_EVENTS, account,
                aUsageEvent().withEventId("fee-card-numbers").forAccount(account).sku(LOCAL_NUMBER).quantity(2)
                        .build());

        // when its monthly plan fee arrives, delivered twice
        UsageEvent fee = aUsageEvent().withEventId("fee-card-2026-11").forAccount(account).sku(PLAN_FEE).quantity(1)
                .build();
        cluster.publish(Topics.USAGE_EVENTS, account, fee);
        cluster.publish(Topics.USAGE_EVENTS, account, fee);

        // then the card is charged $49 once, and the ledger records it without touching the balance
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.values(Topics.LEDGER_ENTRIES, account))
                .extracting(LedgerEntry::getKind, LedgerEntry::getAmountMicros, LedgerEntry::getBalanceAfterMicros,
                        LedgerEntry::getChargedAmountMicros, LedgerEntry::getPaymentMethodId)
                .containsExactly(
                        tuple(LedgerEntryKind.USAGE, -dollars(6), -dollars(6), 0L, null),
                        tuple(LedgerEntryKind.PLAN_FEE_DIRECT, 0L, -dollars(6), PLAN_FEE_PRICE, "pm_card_visa")));
        RechargeRequest request = cluster.values(Topics.RECHARGE_REQUESTS, account).stream().filter(r ->
                r.getReason() == RechargeReason.PLAN_FEE_DIRECT).findFirst().orElseThrow();
        assertThat(cluster.values(Topics.RECHARGE_REQUESTS, account)).hasSize(1);
        assertThat(pipeline.gateway().successfulChargesByRequestId().get(request.getRequestId())).singleElement()
                .satisfies(charge -> assertThat(charge.amountCents()).isEqualTo(4_900));
        await().atMost(WAIT).untilAsserted(() -> assertThat(notifications(account, NotificationType.RECHARGE_RECEIPT))
                .singleElement().satisfies(notice -> assertThat(notice.getSummary()).contains("for your plan fee")));
        assertThat(cluster.values(Topics.RECEIPTS, account)).singleElement()
                .satisfies(receipt -> assertThat(receipt.getRequestId()).isEqualTo(request.getRequestId()));
    }

    @Test
    void shouldDebitThePlanFeeWhenEveryCardDeclinesAndSaySo() {
        // given an opted-in account whose primary card is stolen and whose backup has no funds
        String account = "acct-e2e-fee-declined";
        cluster.publish(Topics.ACCOUNT_SETTINGS, account, settingsFor(account).autoRechargeOff()
                .directChargePlanFee().paymentMethods(aStolenCard().primary(), aCardWithInsufficientFunds().backup())
                .build());

        // when its monthly plan fee arrives
        cluster.publish(Topics.USAGE_EVENTS, account,
                aUsageEvent().withEventId("fee-declined-2026-11").forAccount(account).sku(PLAN_FEE).quantity(1)
                        .build());

        // then it is debited from the balance (which pauses the account), and the notice says so
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.values(Topics.LEDGER_ENTRIES, account))
                .extracting(LedgerEntry::getEntryId, LedgerEntry::getKind, LedgerEntry::getAmountMicros)
                .containsExactly(tuple("usage:fee-declined-2026-11", LedgerEntryKind.USAGE, -PLAN_FEE_PRICE)));
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.values(Topics.ACCOUNT_STATUS, account))
                .extracting(AccountStatusChanged::getStatus).containsExactly(AccountStatus.PAUSED));
        assertThat(notifications(account, NotificationType.PAYMENT_DECLINED)).singleElement().satisfies(notice ->
                assertThat(notice.getSummary()).startsWith("Your plan fee of $49.00 was not charged")
                        .contains("debited from your prepaid balance instead"));
        assertThat(cluster.records(Topics.PAYMENT_RESULTS_UNMATCHED.name(), IsolationLevel.READ_COMMITTED))
                .noneMatch(record -> account.equals(EndToEndCluster.keyOf(record)));
        assertThat(pipeline.gateway().successfulChargesByRequestId().values()).allSatisfy(charges -> assertThat(charges)
                .noneMatch(charge -> account.equals(charge.accountId())));
    }

    private static List<BillingNotification> notifications(String account, NotificationType type) {
        return cluster.values(Topics.BILLING_NOTIFICATIONS, account).stream()
                .filter(notice -> notice.getType() == type).toList();
    }
}
