package dev.meterflow.local;

import static dev.meterflow.local.LiveRecords.settingsFor;
import static dev.meterflow.testdata.PaymentMethodBuilder.aCardWithInsufficientFunds;
import static dev.meterflow.testdata.PaymentMethodBuilder.aStolenCard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTE_PRICE;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.cents;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.local.LiveRecords.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.meterflow.gatewaysim.Charge;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.AttemptOutcome;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentAttempt;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole pipeline on a real broker: usage and settings into the metering topology, its recharge requests
 * into the recharge worker, the worker's charges against the Stripe-compatible gateway simulator, and the
 * worker's results back into the topology, every output read back with {@code read_committed}.
 */
class AutoRechargeEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CRITICAL_PHONE = "+15125550199";

    @RegisterExtension
    static final RunningPipeline pipeline = RunningPipeline.perClass("meterflow-e2e-recharge");
    private static final EndToEndCluster cluster = pipeline.cluster();

    @Test
    void shouldChargeOnceAndTopTheBalanceBackUpToTheTargetWhenUsageTakesItUnderTheThreshold() {
        // given a new account with auto-recharge to $50 under $15: its opening recharge funds it to $50
        String account = "acct-e2e-topup";
        cluster.publish(Topics.ACCOUNT_SETTINGS, account,
                settingsFor(account).topUpTo(dollars(50)).whenBelow(dollars(15)).paymentMethods(aVisaCard()).build());
        RechargeRequest opening = awaitRequests(account, 1).get(0);
        awaitCredited(account, opening);
        assertThat(latestBalance(account).getBalanceMicros()).isEqualTo(dollars(50));

        // when usage takes it to $20.00, $17.50, then $8.50: only the last event crosses the threshold
        publishUsage(account, "topup-numbers-1", LOCAL_NUMBER, 10);
        publishUsage(account, "topup-calls", LOCAL_MINUTES, 100 * 60);
        publishUsage(account, "topup-numbers-2", LOCAL_NUMBER, 3);

        // then exactly one request, for $41.50, charged once through the gateway and credited once
        RechargeRequest recharge = awaitRequests(account, 2).get(1);
        assertThat(recharge.getAmountCents()).isEqualTo(4_150);
        assertThat(recharge.getBalanceMicros()).isEqualTo(cents(850));
        assertThat(recharge.getPaymentMethods()).extracting(PaymentMethodRef::getPaymentMethodId)
                .containsExactly("pm_card_visa");
        awaitCredited(account, recharge);

        AccountBalance balance = latestBalance(account);
        assertThat(balance.getBalanceMicros()).isEqualTo(dollars(50));
        assertThat(balance.getPendingRechargeId()).isNull();
        assertThat(balance.getStatus()).isEqualTo(AccountStatus.ACTIVE);
        assertThat(cluster.values(Topics.ACCOUNT_BALANCES, account))
                .extracting(AccountBalance::getBalanceMicros, AccountBalance::getPendingRechargeId)
                .contains(tuple(cents(850), recharge.getRequestId()));
        assertThat(cluster.values(Topics.RECHARGE_REQUESTS, account)).hasSize(2);

        assertThat(cluster.values(Topics.LEDGER_ENTRIES, account))
                .extracting(LedgerEntry::getKind, LedgerEntry::getAmountMicros, LedgerEntry::getBalanceAfterMicros)
                .containsExactly(
                        tuple(LedgerEntryKind.RECHARGE, dollars(50), dollars(50)),
                        tuple(LedgerEntryKind.USAGE, -dollars(30), dollars(20)),
                        tuple(LedgerEntryKind.USAGE, -cents(250), cents(1_750)),
                        tuple(LedgerEntryKind.USAGE, -dollars(9), cents(850)),
                        tuple(LedgerEntryKind.RECHARGE, cents(4_150), dollars(50)));

        assertThat(resultsFor(account, recharge)).singleElement()
                .satisfies(result -> assertThat(result.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED));
        assertThat(cluster.values(Topics.RECEIPTS, account))
                .filteredOn(receipt -> receipt.getRequestId().equals(recharge.getRequestId()))
                .singleElement().satisfies(receipt -> {
                    assertThat(receipt.getAmountCents()).isEqualTo(4_150);
                    assertThat(receipt.getLast4()).isEqualTo("4242");
                    assertThat(receipt.getRecipients()).containsExactly("billing@" + account + ".example");
                });
        assertThat(notifications(account, NotificationType.RECHARGE_RECEIPT))
                .filteredOn(notice -> recharge.getRequestId().equals(notice.getAttributes().get("requestId")))
                .hasSize(1);
        assertThat(pipeline.gateway().successfulChargesByRequestId().get(recharge.getRequestId())).singleElement()
                .satisfies(charge -> {
                    assertThat(charge.amountCents()).isEqualTo(4_150);
                    assertThat(charge.paymentMethod()).isEqualTo("pm_card_visa");
                    assertThat(charge.accountId()).isEqualTo(account);
                });
        assertThat(cluster.values(Topics.ACCOUNT_STATUS, account)).isEmpty();
        assertThat(pipeline.gateway().successfulChargesByRequestId().values())
                .allSatisfy(charges -> assertThat(charges).hasSize(1));
    }

    @Test
    void shouldPauseOnceAfterBothCardsDeclineAndResumeOnceANewCardIsCharged() {
        // given an account whose primary and backup cards both decline: its opening recharge is declined
        String account = "acct-e2e-declined";
        cluster.publish(Topics.ACCOUNT_SETTINGS, account, settingsFor(account)
                .topUpTo(dollars(50)).whenBelow(dollars(15))
                .paymentMethods(aCardWithInsufficientFunds().primary(), aStolenCard().backup())
                .criticalBillingPhone(CRITICAL_PHONE)
                .build());
        RechargeRequest declined = awaitRequests(account, 1).get(0);
        PaymentResult declinedResult = await().atMost(WAIT)
                .until(() -> resultsFor(account, declined), results -> !results.isEmpty()).get(0);
        assertThat(declinedResult.getStatus()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(declinedResult.getAttempts()).extracting(PaymentAttempt::getOutcome, PaymentAttempt::getDeclineCode)
                .containsExactly(tuple(AttemptOutcome.DECLINED_SOFT, "insufficient_funds"),
                        tuple(AttemptOutcome.DECLINED_HARD, "stolen_card"));
        // the topology has taken the decline: nothing pending, a 24 h back-off on these cards
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.values(Topics.ACCOUNT_BALANCES, account))
                .last().satisfies(balance -> assertThat(balance.getPendingRechargeId()).isNull()));
        assertThat(notifications(account, NotificationType.PAYMENT_DECLINED)).singleElement().satisfies(notice -> {
            assertThat(notice.getNotificationId()).isEqualTo("payment-declined:" + account + ":"
                    + declined.getRequestId());
            assertThat(notice.getEmailRecipients()).containsExactly("billing@" + account + ".example");
            assertThat(notice.getSmsRecipients()).containsExactly(CRITICAL_PHONE);
        });

        // when usage continues: $3.00, $6.00, $9.00 below zero
        publishUsage(account, "declined-numbers-1", LOCAL_NUMBER, 1);
        publishUsage(account, "declined-numbers-2", LOCAL_NUMBER, 1);
        publishUsage(account, "declined-numbers-3", LOCAL_NUMBER, 1);

        // then the account is paused once, and no new charge is tried during the back-off
        await().atMost(WAIT).untilAsserted(() -> assertThat(latestBalance(account).getBalanceMicros())
                .isEqualTo(-dollars(9)));
        assertThat(cluster.values(Topics.ACCOUNT_STATUS, account))
                .extracting(AccountStatusChanged::getStatus, AccountStatusChanged::getBalanceMicros)
                .containsExactly(tuple(AccountStatus.PAUSED, -dollars(3)));
        assertThat(notifications(account, NotificationType.ACCOUNT_PAUSED)).hasSize(1);
        assertThat(cluster.values(Topics.RECHARGE_REQUESTS, account)).hasSize(1);
        assertThat(latestBalance(account).getStatus()).isEqualTo(AccountStatus.PAUSED);

        // when the customer replaces the cards with a good one
        cluster.publish(Topics.ACCOUNT_SETTINGS, account, settingsFor(account)
                .topUpTo(dollars(50)).whenBelow(dollars(15))
                .paymentMethods(aVisaCard().primary())
                .criticalBillingPhone(CRITICAL_PHONE)
                .build());

        // then new payment methods lift the back-off: a request at once for $59.00, charged, credited, resumed
        RechargeRequest retry = awaitRequests(account, 2).get(1);
        assertThat(retry.getAmountCents()).isEqualTo(5_900);
        assertThat(retry.getPaymentMethods()).extracting(PaymentMethodRef::getPaymentMethodId)
                .containsExactly("pm_card_visa");
        awaitCredited(account, retry);

        AccountBalance balance = latestBalance(account);
        assertThat(balance.getBalanceMicros()).isEqualTo(dollars(50));
        assertThat(balance.getStatus()).isEqualTo(AccountStatus.ACTIVE);
        assertThat(cluster.values(Topics.ACCOUNT_STATUS, account))
                .extracting(AccountStatusChanged::getStatus, AccountStatusChanged::getBalanceMicros)
                .containsExactly(tuple(AccountStatus.PAUSED, -dollars(3)), tuple(AccountStatus.ACTIVE, dollars(50)));
        assertThat(notifications(account, NotificationType.ACCOUNT_PAUSED)).hasSize(1);
        assertThat(notifications(account, NotificationType.ACCOUNT_RESUMED)).hasSize(1);
        assertThat(notifications(account, NotificationType.PAYMENT_DECLINED)).hasSize(1);
        assertThat(cluster.values(Topics.RECHARGE_REQUESTS, account)).hasSize(2);

        assertThat(pipeline.gateway().successfulChargesByRequestId()).doesNotContainKey(declined.getRequestId());
        assertThat(pipeline.gateway().successfulChargesByRequestId().get(retry.getRequestId())).singleElement()
                .satisfies(charge -> assertThat(charge.amountCents()).isEqualTo(5_900));
        assertThat(pipeline.gateway().charges()).filteredOn(charge -> account.equals(charge.accountId()))
                .extracting(Charge::requestId, Charge::paymentMethod, Charge::succeeded)
                .containsExactly(
                        tuple(declined.getRequestId(), "pm_card_chargeDeclinedInsufficientFunds", false),
                        tuple(declined.getRequestId(), "pm_card_chargeDeclinedStolenCard", false),
                        tuple(retry.getRequestId(), "pm_card_visa", true));
        assertThat(cluster.values(Topics.RECEIPTS, account)).extracting(Receipt::getRequestId)
                .containsExactly(retry.getRequestId());
        assertThat(pipeline.gateway().successfulChargesByRequestId().values())
                .allSatisfy(charges -> assertThat(charges).hasSize(1));
    }

    @Test
    void shouldRechargeWithTheNewCardWhenItReplacedTheDecliningCardsWhileTheirChargeWasInFlight() {
        // given the worker is down, and an account whose two cards decline asks for its opening recharge
        String account = "acct-e2e-swapped";
        pipeline.stopWorker();
        boolean workerRestarted = false;
        try {
            cluster.publish(Topics.ACCOUNT_SETTINGS, account, settingsFor(account)
                    .topUpTo(dollars(50)).whenBelow(dollars(15))
                    .paymentMethods(aCardWithInsufficientFunds().primary(), aStolenCard().backup())
                    .build());
            RechargeRequest inFlight = awaitRequests(account, 1).get(0);

            // when the customer replaces both cards with a good one before the worker has charged the old ones
            cluster.publish(Topics.ACCOUNT_SETTINGS, account, settingsFor(account)
                    .topUpTo(dollars(50)).whenBelow(dollars(15))
                    .paymentMethods(aVisaCard().primary())
                    .build());
            // (a usage event behind the new settings: once it is debited, the topology holds the new cards)
            publishUsage(account, "swapped-number", LOCAL_NUMBER, 1);
            await().atMost(WAIT).untilAsserted(() -> assertThat(latestBalance(account).getBalanceMicros())
                    .isEqualTo(-dollars(3)));
            // and the worker then charges the request it holds, which names the old cards
            pipeline.startWorker();
            workerRestarted = true;
            await().atMost(WAIT).until(() -> resultsFor(account, inFlight), results -> !results.isEmpty());
            assertThat(resultsFor(account, inFlight)).singleElement()
                    .satisfies(result -> assertThat(result.getStatus()).isEqualTo(PaymentStatus.DECLINED));
        } finally {
            if (!workerRestarted) {
                pipeline.startWorker();
            }
        }

        // then the decline backs off the old cards, not the new one: the new card is charged at once
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                cluster.values(Topics.RECHARGE_REQUESTS, account))
                .as("recharge requests of %s: after the old cards' decline, one for the new card that replaced them "
                        + "(the 24 h back-off must hold the declined cards, not the current ones)", account)
                .extracting(RechargeRequest::getRequestId).hasSizeGreaterThanOrEqualTo(2));
        RechargeRequest withNewCard = cluster.values(Topics.RECHARGE_REQUESTS, account).get(1);
        assertThat(withNewCard.getPaymentMethods()).extracting(PaymentMethodRef::getPaymentMethodId)
                .containsExactly("pm_card_visa");
        awaitCredited(account, withNewCard);
        assertThat(latestBalance(account).getBalanceMicros()).isEqualTo(dollars(50));
        assertThat(latestBalance(account).getStatus()).isEqualTo(AccountStatus.ACTIVE);
    }

    @Test
    void shouldChargeTheGatewayMinimumWhenTheTopUpWouldBeSmaller() {
        // given an account topped up to $15.10 under $15.00
        String account = "acct-e2e-minimum";
        cluster.publish(Topics.ACCOUNT_SETTINGS, account,
                settingsFor(account).topUpTo(cents(1_510)).whenBelow(dollars(15)).paymentMethods(aVisaCard()).build());
        awaitCredited(account, awaitRequests(account, 1).get(0));

        // when a 5-minute call takes it to $14.975, 12.5 cents under the target
        publishUsage(account, "minimum-call", LOCAL_MINUTES, 5 * 60);

        // then the gateway's minimum of 50 cents is charged (Stripe refuses less), and credited
        RechargeRequest recharge = awaitRequests(account, 2).get(1);
        assertThat(recharge.getAmountCents()).isEqualTo(50);
        awaitCredited(account, recharge);
        assertThat(latestBalance(account).getBalanceMicros()).isEqualTo(cents(1_510) - 5 * LOCAL_MINUTE_PRICE + cents(50));
        assertThat(pipeline.gateway().successfulChargesByRequestId().get(recharge.getRequestId())).singleElement()
                .satisfies(charge -> assertThat(charge.amountCents()).isEqualTo(50));
    }

    private static void publishUsage(String account, String eventId, String sku, long quantity) {
        cluster.publish(Topics.USAGE_EVENTS, account,
                aUsageEvent().withEventId(eventId).forAccount(account).sku(sku).quantity(quantity).build());
    }

    /** Waits until the account has at least {@code count} recharge requests and returns them. */
    private static List<RechargeRequest> awaitRequests(String account, int count) {
        return await().atMost(WAIT).until(() -> cluster.values(Topics.RECHARGE_REQUESTS, account),
                requests -> requests.size() >= count);
    }

    /** Waits until the request's RECHARGE entry is committed on the ledger. */
    private static void awaitCredited(String account, RechargeRequest request) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.values(Topics.LEDGER_ENTRIES, account))
                .filteredOn(entry -> entry.getKind() == LedgerEntryKind.RECHARGE)
                .extracting(LedgerEntry::getSourceId)
                .containsOnlyOnce(request.getRequestId()));
    }

    private static AccountBalance latestBalance(String account) {
        return cluster.latest(Topics.ACCOUNT_BALANCES, account).orElseThrow();
    }

    private static List<PaymentResult> resultsFor(String account, RechargeRequest request) {
        return cluster.values(Topics.PAYMENT_RESULTS, account).stream()
                .filter(result -> result.getRequestId().equals(request.getRequestId())).toList();
    }

    private static List<BillingNotification> notifications(String account, NotificationType type) {
        return cluster.values(Topics.BILLING_NOTIFICATIONS, account).stream()
                .filter(notice -> notice.getType() == type).toList();
    }
}
