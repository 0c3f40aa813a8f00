package dev.meterflow.worker.recharge;

import static dev.meterflow.worker.testdata.Attempts.declinedHard;
import static dev.meterflow.worker.testdata.Attempts.declinedSoft;
import static dev.meterflow.worker.testdata.Attempts.failedWithError;
import static dev.meterflow.worker.testdata.Attempts.inFlight;
import static dev.meterflow.worker.testdata.Attempts.succeeded;
import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static dev.meterflow.testdata.TestData.ACCOUNT;
import static dev.meterflow.testdata.TestData.BILLING_EMAILS;
import static dev.meterflow.testdata.TestData.CRITICAL_BILLING_PHONE;
import static dev.meterflow.testdata.TestData.MASTERCARD;
import static dev.meterflow.testdata.TestData.NEXT_REQUEST_ID;
import static dev.meterflow.testdata.TestData.NOW;
import static dev.meterflow.testdata.TestData.REQUEST_ID;
import static dev.meterflow.testdata.TestData.VISA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meterflow.schemas.AttemptOutcome;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a finished request publishes: the result, and on success a receipt, on a decline a notice. */
class RechargeOutputsTest {

    private static final long NOW_MILLIS = NOW.toEpochMilli();

    /** Primary Visa, backup Mastercard, $35.75, two billing emails and a critical billing phone. */
    private final RechargeRequest request = aRechargeRequest().build();

    private final Step.Finish chargedOnTheBackup = new Step.Finish(Step.Status.SUCCEEDED, MASTERCARD,
            "ch_3PqAcme0002", List.of(declinedSoft(VISA, "insufficient_funds"), succeeded(MASTERCARD, "ch_3PqAcme0002")));
    private final Step.Finish bothDeclined = new Step.Finish(Step.Status.DECLINED, null, null,
            List.of(declinedSoft(VISA, "insufficient_funds"), declinedHard(MASTERCARD, "expired_card")));
    private final Step.Finish failed = new Step.Finish(Step.Status.FAILED, null, null,
            List.of(failedWithError(VISA), failedWithError(MASTERCARD)));

    @Test
    void shouldReportTheChargeWithEveryAttemptOnSuccess() {
        // when
        RechargeOutputs outputs = RechargeOutputs.of(request, chargedOnTheBackup, NOW_MILLIS);

        // then
        PaymentResult result = outputs.result();
        assertThat(result.getRequestId()).isEqualTo(REQUEST_ID);
        assertThat(result.getAccountId()).isEqualTo(ACCOUNT);
        assertThat(result.getReason()).isEqualTo(RechargeReason.AUTO_RECHARGE);
        assertThat(result.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(result.getAmountCents()).isEqualTo(3_575);
        assertThat(result.getPaymentMethodId()).isEqualTo(MASTERCARD);
        assertThat(result.getGatewayChargeId()).isEqualTo("ch_3PqAcme0002");
        assertThat(result.getCompletedAt()).isEqualTo(NOW);
        assertThat(result.getAttempts())
                .extracting(a -> a.getPaymentMethodId(), a -> a.getOutcome(), a -> a.getDeclineCode(),
                        a -> a.getGatewayReference())
                .containsExactly(
                        tuple(VISA, AttemptOutcome.DECLINED_SOFT, "insufficient_funds", "pi_3PqDeclinedSoft01"),
                        tuple(MASTERCARD, AttemptOutcome.SUCCEEDED, null, "pi_3PqAcme0002"));
    }

    @Test
    void shouldSendAReceiptForTheChargedCardToEveryBillingEmailOnSuccess() {
        // when
        RechargeOutputs outputs = RechargeOutputs.of(request, chargedOnTheBackup, NOW_MILLIS);

        // then
        assertThat(outputs.receipt()).hasValueSatisfying(receipt -> {
            assertThat(receipt.getRequestId()).isEqualTo(REQUEST_ID);
            assertThat(receipt.getAccountId()).isEqualTo(ACCOUNT);
            assertThat(receipt.getAmountCents()).isEqualTo(3_575);
            assertThat(receipt.getCurrency()).isEqualTo("USD");
            assertThat(receipt.getBrand()).isEqualTo("mastercard");
            assertThat(receipt.getLast4()).isEqualTo("4444");
            assertThat(receipt.getGatewayChargeId()).isEqualTo("ch_3PqAcme0002");
            assertThat(receipt.getChargedAt()).isEqualTo(NOW);
            assertThat(receipt.getRecipients()).containsExactlyElementsOf(BILLING_EMAILS);
        });
        assertThat(outputs.notifications()).singleElement().satisfies(notice -> {
            assertThat(notice.getType()).isEqualTo(NotificationType.RECHARGE_RECEIPT);
            assertThat(notice.getAccountId()).isEqualTo(ACCOUNT);
            assertThat(notice.getEmailRecipients()).containsExactlyElementsOf(BILLING_EMAILS);
            assertThat(notice.getSmsRecipients()).as("a receipt is not worth an SMS").isEmpty();
            assertThat(notice.getSummary()).contains("$35.75", "mastercard", "4444");
            assertThat(notice.getAttributes()).containsEntry("requestId", REQUEST_ID)
                    .containsEntry("receiptId", outputs.receipt().orElseThrow().getReceiptId());
            assertThat(notice.getAt()).isEqualTo(NOW);
        });
    }

    @Test
    void shouldNotifyADeclineByEmailAndBySmsToTheCriticalBillingPhone() {
        // when
        RechargeOutputs outputs = RechargeOutputs.of(request, bothDeclined, NOW_MILLIS);

        // then
        assertThat(outputs.result().getStatus()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(outputs.result().getPaymentMethodId()).isNull();
        assertThat(outputs.result().getGatewayChargeId()).isNull();
        assertThat(outputs.result().getAttempts()).extracting(a -> a.getOutcome(), a -> a.getDeclineCode())
                .containsExactly(tuple(AttemptOutcome.DECLINED_SOFT, "insufficient_funds"),
                        tuple(AttemptOutcome.DECLINED_HARD, "expired_card"));
        assertThat(outputs.receipt()).isEmpty();
        assertThat(outputs.notifications()).singleElement().satisfies(notice -> {
            assertThat(notice.getType()).isEqualTo(NotificationType.PAYMENT_DECLINED);
            assertThat(notice.getEmailRecipients()).containsExactlyElementsOf(BILLING_EMAILS);
            assertThat(notice.getSmsRecipients()).containsExactly(CRITICAL_BILLING_PHONE);
            assertThat(notice.getSummary()).contains("$35.75");
            assertThat(notice.getAttributes()).containsEntry("declineCodes", "insufficient_funds,expired_card");
        });
    }

    @Test
    void shouldPublishNoAttemptForACardPassedOverAtItsRetryLimitAndNameTheReasonInTheNotice() {
        // given the primary was soft-declined for this request, the backup was at its retry limit (issue 6 item 9)
        Step.Finish backupAtItsLimit = new Step.Finish(Step.Status.DECLINED, null, null,
                List.of(declinedSoft(VISA, "insufficient_funds")), List.of(new Step.PassedOver(MASTERCARD, 4, 6)));

        // when
        RechargeOutputs outputs = RechargeOutputs.of(request, backupAtItsLimit, NOW_MILLIS);

        // then
        assertThat(outputs.result().getStatus()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(outputs.result().getAttempts()).extracting(a -> a.getPaymentMethodId()).containsExactly(VISA);
        assertThat(outputs.notifications()).singleElement().satisfies(notice -> assertThat(notice.getAttributes())
                .containsEntry("declineCodes", "insufficient_funds,retry_limit_reached"));
    }

    @ParameterizedTest(name = "critical billing phone [{0}]")
    @NullSource
    @ValueSource(strings = {"", "   "})
    void shouldNotifyADeclineByEmailOnlyWhenNoCriticalBillingPhoneIsSet(String phone) {
        // given
        RechargeRequest withoutPhone = aRechargeRequest().criticalBillingPhone(phone).build();

        // when
        RechargeOutputs outputs = RechargeOutputs.of(withoutPhone, bothDeclined, NOW_MILLIS);

        // then
        assertThat(outputs.notifications()).singleElement().satisfies(notice -> {
            assertThat(notice.getType()).isEqualTo(NotificationType.PAYMENT_DECLINED);
            assertThat(notice.getEmailRecipients()).containsExactlyElementsOf(BILLING_EMAILS);
            assertThat(notice.getSmsRecipients()).isEmpty();
        });
    }

    @Test
    void shouldNotifyAFailedRequestByEmailAndBySmsToTheCriticalBillingPhone() {
        // issue 10 §6: every method refused must not pass in silence
        // when
        RechargeOutputs outputs = RechargeOutputs.of(request, failed, NOW_MILLIS);

        // then
        assertThat(outputs.result().getStatus()).isEqualTo(PaymentStatus.FAILED);
        assertThat(outputs.result().getAttempts()).extracting(a -> a.getOutcome())
                .containsExactly(AttemptOutcome.ERROR, AttemptOutcome.ERROR);
        assertThat(outputs.receipt()).isEmpty();
        assertThat(outputs.notifications()).singleElement().satisfies(notice -> {
            assertThat(notice.getType()).isEqualTo(NotificationType.PAYMENT_DECLINED);
            assertThat(notice.getNotificationId()).isEqualTo("payment-declined:" + ACCOUNT + ":" + REQUEST_ID);
            assertThat(notice.getEmailRecipients()).containsExactlyElementsOf(BILLING_EMAILS);
            assertThat(notice.getSmsRecipients()).containsExactly(CRITICAL_BILLING_PHONE);
            assertThat(notice.getAttributes()).containsEntry("status", "FAILED");
            assertThat(notice.getSummary()).contains("$35.75").contains("could not process");
        });
    }

    @Test
    void shouldSayAOneTimePaymentWasNotChargedWhenItIsDeclined() {
        // given a Make a Payment request (issue 10 §1)
        RechargeRequest payment = aRechargeRequest().build();
        payment.setReason(RechargeReason.ONE_TIME_PAYMENT);

        // when
        RechargeOutputs outputs = RechargeOutputs.of(payment, bothDeclined, NOW_MILLIS);

        // then
        assertThat(outputs.notifications()).singleElement().satisfies(notice -> {
            assertThat(notice.getType()).isEqualTo(NotificationType.PAYMENT_DECLINED);
            assertThat(notice.getSummary()).startsWith("Your payment of $35.75 was not charged");
            assertThat(notice.getAttributes()).containsEntry("reason", "ONE_TIME_PAYMENT")
                    .containsEntry("declineCodes", "insufficient_funds,expired_card");
        });
    }

    @Test
    void shouldSayAPlanFeeChargedDirectlyPaysTheFeeAndLeavesTheBalance() {
        // issue 10 §3: the topology posts a PLAN_FEE_DIRECT entry of zero for it, not a credit
        RechargeRequest planFee = aRechargeRequest().build();
        planFee.setReason(RechargeReason.PLAN_FEE_DIRECT);

        RechargeOutputs outputs = RechargeOutputs.of(planFee, chargedOnTheBackup, NOW_MILLIS);

        assertThat(outputs.receipt()).isPresent();
        assertThat(outputs.notifications()).singleElement().satisfies(notice -> {
            assertThat(notice.getType()).isEqualTo(NotificationType.RECHARGE_RECEIPT);
            assertThat(notice.getSummary()).contains("for your plan fee").contains("balance is unchanged")
                    .doesNotContain("added it to your balance");
            assertThat(notice.getAttributes()).containsEntry("reason", "PLAN_FEE_DIRECT");
        });
    }

    @ParameterizedTest
    @EnumSource(value = Step.Status.class, names = {"DECLINED", "FAILED"})
    void shouldSayAPlanFeeNoMethodPaidIsDebitedFromTheBalanceInstead(Step.Status status) {
        // issue 10 §3: the topology debits the fee from the balance when its request is not charged
        RechargeRequest planFee = aRechargeRequest().build();
        planFee.setReason(RechargeReason.PLAN_FEE_DIRECT);

        RechargeOutputs outputs = RechargeOutputs.of(planFee, status == Step.Status.FAILED ? failed : bothDeclined,
                NOW_MILLIS);

        assertThat(outputs.notifications()).singleElement().satisfies(notice -> {
            assertThat(notice.getType()).isEqualTo(NotificationType.PAYMENT_DECLINED);
            assertThat(notice.getSummary()).startsWith("Your plan fee of $35.75 was not charged")
                    .contains("debited from your prepaid balance instead");
            assertThat(notice.getSmsRecipients()).containsExactly(CRITICAL_BILLING_PHONE);
            assertThat(notice.getAttributes()).containsEntry("reason", "PLAN_FEE_DIRECT");
        });
    }

    @Test
    void shouldReportAnAttemptLeftInFlightAsUnknown() {
        // given a card answered only after a crash left an earlier call unanswered
        Step.Finish afterACrash = new Step.Finish(Step.Status.SUCCEEDED, VISA, "ch_3PqAcme0006",
                List.of(inFlight(VISA), succeeded(VISA, "ch_3PqAcme0006")));

        // when
        RechargeOutputs outputs = RechargeOutputs.of(request, afterACrash, NOW_MILLIS);

        // then
        assertThat(outputs.result().getAttempts()).extracting(a -> a.getOutcome())
                .containsExactly(AttemptOutcome.UNKNOWN, AttemptOutcome.SUCCEEDED);
    }

    @Test
    void shouldDeriveTheSameIdsFromTheSameRequestSoThatAReplayWritesTheSameIds() {
        // when
        RechargeOutputs first = RechargeOutputs.of(request, chargedOnTheBackup, NOW_MILLIS);
        RechargeOutputs replayed = RechargeOutputs.of(request, chargedOnTheBackup, NOW_MILLIS + 60_000);
        RechargeOutputs declinedFirst = RechargeOutputs.of(request, bothDeclined, NOW_MILLIS);
        RechargeOutputs declinedReplayed = RechargeOutputs.of(request, bothDeclined, NOW_MILLIS + 60_000);

        // then
        assertThat(replayed.receipt().orElseThrow().getReceiptId())
                .isEqualTo(first.receipt().orElseThrow().getReceiptId());
        assertThat(notificationIds(replayed)).isEqualTo(notificationIds(first));
        assertThat(notificationIds(declinedReplayed)).isEqualTo(notificationIds(declinedFirst));
    }

    @Test
    void shouldDeriveDifferentIdsForDifferentRequests() {
        // given
        RechargeRequest next = aRechargeRequest().withId(NEXT_REQUEST_ID).build();

        // when
        RechargeOutputs thisOne = RechargeOutputs.of(request, chargedOnTheBackup, NOW_MILLIS);
        RechargeOutputs nextOne = RechargeOutputs.of(next, chargedOnTheBackup, NOW_MILLIS);

        // then
        assertThat(nextOne.receipt().orElseThrow().getReceiptId())
                .isNotEqualTo(thisOne.receipt().orElseThrow().getReceiptId());
        assertThat(notificationIds(nextOne)).doesNotContainAnyElementsOf(notificationIds(thisOne));
        assertThat(notificationIds(RechargeOutputs.of(request, bothDeclined, NOW_MILLIS)))
                .as("a decline notice and a receipt notice of one request")
                .doesNotContainAnyElementsOf(notificationIds(thisOne));
    }

    @Test
    void shouldProduceRecordsTheOutputTopicsCanCarry() {
        // given every kind of output
        List<RechargeOutputs> all = List.of(RechargeOutputs.of(request, chargedOnTheBackup, NOW_MILLIS),
                RechargeOutputs.of(request, bothDeclined, NOW_MILLIS),
                RechargeOutputs.of(aRechargeRequest().noCriticalBillingPhone().build(), failed, NOW_MILLIS));

        // when each goes through its topic's serde, then it comes back the same
        for (RechargeOutputs outputs : all) {
            assertThat(roundTrip(Topics.PAYMENT_RESULTS, outputs.result())).isEqualTo(outputs.result());
            outputs.receipt().ifPresent(receipt -> assertThat(roundTrip(Topics.RECEIPTS, receipt)).isEqualTo(receipt));
            for (BillingNotification notice : outputs.notifications()) {
                assertThat(roundTrip(Topics.BILLING_NOTIFICATIONS, notice)).isEqualTo(notice);
            }
        }
    }

    private static List<String> notificationIds(RechargeOutputs outputs) {
        return outputs.notifications().stream().map(BillingNotification::getNotificationId).toList();
    }

    private static <V> V roundTrip(Topic<String, V> topic, V value) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        return topic.valueSerde().deserializer().deserialize(topic.name(), bytes);
    }

    /** Issue 17: a request held for days gains an attempt at every reconcile interval; its result must still fit. */
    @Test
    void shouldListTheDecisiveAttemptsAndTheLatestUnresolvedOnesWhenThereAreTooMany() {
        List<Attempt> attempts = new java.util.ArrayList<>();
        attempts.add(declinedSoft(VISA, "insufficient_funds"));
        for (int i = 0; i < 10_000; i++) {
            attempts.add(inFlight(MASTERCARD));
        }
        attempts.add(succeeded(MASTERCARD, "ch_3PqAcme0002"));

        PaymentResult result = RechargeOutputs.of(request, new Step.Finish(Step.Status.SUCCEEDED, MASTERCARD,
                "ch_3PqAcme0002", attempts), NOW_MILLIS).result();

        assertThat(result.getAttempts()).hasSize(RechargeOutputs.MAX_LISTED_ATTEMPTS);
        assertThat(result.getAttempts().get(0).getOutcome()).isEqualTo(AttemptOutcome.DECLINED_SOFT);
        assertThat(result.getAttempts().get(RechargeOutputs.MAX_LISTED_ATTEMPTS - 1).getOutcome())
                .isEqualTo(AttemptOutcome.SUCCEEDED);
    }
}
