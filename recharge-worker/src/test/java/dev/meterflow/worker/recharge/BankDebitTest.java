package dev.meterflow.worker.recharge;

import static dev.meterflow.worker.recharge.ScriptedGateway.processing;
import static dev.meterflow.testdata.PaymentMethodBuilder.aBankAccount;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static dev.meterflow.testdata.TestData.BANK;
import static dev.meterflow.testdata.TestData.CLOCK;
import static dev.meterflow.testdata.TestData.REQUEST_ID;
import static dev.meterflow.testdata.TestData.VISA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.schemas.AttemptOutcome;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.worker.attempts.AttemptLogEntry;
import dev.meterflow.worker.gateway.ChargeCommand;
import dev.meterflow.worker.gateway.GatewayAnswer;
import dev.meterflow.worker.gateway.RateLimiter;
import dev.meterflow.worker.recharge.RechargeProcessor.Result;
import dev.meterflow.worker.testdata.Attempts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §2: a bank debit (ACH) answers {@code processing} and settles days later. The plan waits for it, the
 * processor parks the request and asks again only through {@link RechargeProcessor#settle}, never charging again.
 */
class BankDebitTest {

    private static final String INTENT = "pi_3QbankDebit01";
    private static final String BANK_KEY = ChargeCommand.idempotencyKey(REQUEST_ID, BANK);

    private final AttemptPlan plan = new AttemptPlan(3, new SoftDeclineLimits(4, 15));
    private final CardHistory noHistory = new CardHistory(Set.of(), Map.of());
    private final WitnessingAttemptStore attemptLog = new WitnessingAttemptStore();
    private final ScriptedGateway gateway = new ScriptedGateway(attemptLog::assertRecordedBefore);
    private final RechargeProcessor processor = new RechargeProcessor(gateway, attemptLog, plan,
            new RateLimiter(1_000_000), Duration.ZERO, 5, CLOCK);

    /** A one-time payment from the bank account, the Visa card as the backup. */
    private final RechargeRequest payment = aRechargeRequest().oneTimePayment()
            .payingWith(aBankAccount(BANK).primary(), aVisaCard().backup()).build();

    @Test
    void shouldWaitForAProcessingDebitWithoutChargingAnotherMethod() {
        Attempt processingDebit = Attempts.inFlight(BANK).answered(GatewayAnswer.processing(INTENT), 0);

        Step step = plan.next(REQUEST_ID, List.of(BANK, VISA), List.of(processingDebit), noHistory, 0);

        assertThat(step).isEqualTo(new Step.AwaitSettlement(BANK, INTENT, List.of()));
    }

    @Test
    void shouldMoveToTheNextMethodOnceTheBankReturnedTheDebit() {
        Attempt returned = Attempts.inFlight(BANK).answered(declined("R01", GatewayAnswer.Kind.DECLINED_SOFT), 0);

        assertThat(plan.next(REQUEST_ID, List.of(BANK, VISA), List.of(returned), noHistory, 0))
                .isEqualTo(new Step.Charge(VISA, ChargeCommand.idempotencyKey(REQUEST_ID, VISA)));
        assertThat(plan.next(REQUEST_ID, List.of(BANK), List.of(returned), noHistory, 0))
                .isInstanceOfSatisfying(Step.Finish.class,
                        finish -> assertThat(finish.status()).isEqualTo(Step.Status.DECLINED));
    }

    @Test
    void shouldParkADebitThatAnswersProcessingWithoutAskingAgainAtOnce() throws InterruptedException {
        gateway.on(BANK, processing(INTENT));

        Result result = processor.process(payment);

        assertThat(result).isInstanceOfSatisfying(Result.Processing.class, parked -> {
            assertThat(parked.paymentMethodId()).isEqualTo(BANK);
            assertThat(parked.entry().attempts()).singleElement()
                    .satisfies(attempt -> assertThat(attempt.processing()).isTrue());
        });
        assertThat(gateway.retrieved()).isEmpty();
        assertThat(gateway.callsOn(VISA)).isEmpty();
    }

    @Test
    void shouldLeaveAParkedRequestToTheSettlementPollWhenItIsReadAgain() throws InterruptedException {
        gateway.on(BANK, processing(INTENT));
        Result.Processing parked = (Result.Processing) processor.process(payment);
        attemptLog.record(parked.entry().parked(payment, 3));

        assertThat(processor.process(payment)).isInstanceOf(Result.AlreadyParked.class);
        assertThat(gateway.calls()).hasSize(1);
        assertThat(gateway.retrieved()).isEmpty();
    }

    @Test
    void shouldSucceedOnceTheDebitSettlesAndNeverCreateItAgain() throws InterruptedException {
        gateway.on(BANK, processing(INTENT))
                .settles(INTENT, GatewayAnswer.processing(INTENT), GatewayAnswer.succeeded(INTENT, "ch_3Qbank01"));
        processor.process(payment);

        Result stillWaiting = processor.settle(payment);
        Result settled = processor.settle(payment);

        assertThat(stillWaiting).isInstanceOf(Result.Processing.class);
        assertThat(settled).isInstanceOfSatisfying(Result.Finished.class, finished -> {
            assertThat(finished.finish().status()).isEqualTo(Step.Status.SUCCEEDED);
            assertThat(finished.finish().paymentMethodId()).isEqualTo(BANK);
            assertThat(finished.finish().chargeId()).isEqualTo("ch_3Qbank01");
        });
        assertThat(gateway.calls()).extracting(ChargeCommand::idempotencyKey).containsExactly(BANK_KEY);
        assertThat(gateway.retrieved()).containsExactly(INTENT, INTENT);
    }

    @Test
    void shouldDeclineWithTheBanksReturnCodeAndItsClass() throws InterruptedException {
        RechargeRequest bankOnly = aRechargeRequest().oneTimePayment().payingWith(aBankAccount(BANK).primary())
                .build();
        gateway.on(BANK, processing(INTENT)).settles(INTENT, declined("R02", GatewayAnswer.Kind.DECLINED_HARD));
        processor.process(bankOnly);

        Result settled = processor.settle(bankOnly);

        assertThat(settled).isInstanceOfSatisfying(Result.Finished.class, finished -> {
            assertThat(finished.finish().status()).isEqualTo(Step.Status.DECLINED);
            assertThat(finished.finish().attempts()).singleElement().satisfies(attempt -> {
                assertThat(attempt.declineCode()).isEqualTo("R02");
                assertThat(attempt.outcome()).isEqualTo(Attempt.Outcome.DECLINED_HARD);
            });
        });
        RechargeOutputs outputs = RechargeOutputs.of(bankOnly, ((Result.Finished) settled).finish(), 0);
        assertThat(outputs.result().getAttempts()).singleElement()
                .satisfies(attempt -> assertThat(attempt.getOutcome()).isEqualTo(AttemptOutcome.DECLINED_HARD));
        assertThat(outputs.notifications()).singleElement().satisfies(notice -> {
            assertThat(notice.getAttributes()).containsEntry("declineCodes", "R02");
            assertThat(notice.getSummary()).contains("bank").doesNotContain("cards on file");
        });
    }

    /** A parked debit whose intent was canceled used to be polled for ever (answered UNKNOWN at every poll). */
    @Test
    void shouldEndADebitWhoseIntentWasCanceledAndFailWhenNoMethodIsLeft() throws InterruptedException {
        RechargeRequest bankOnly = aRechargeRequest().oneTimePayment().payingWith(aBankAccount(BANK).primary())
                .build();
        GatewayAnswer canceled = new GatewayAnswer(GatewayAnswer.Kind.ERROR, "canceled", INTENT, null,
                "the payment intent is canceled: nothing was charged");
        gateway.on(BANK, processing(INTENT)).settles(INTENT, canceled);
        processor.process(bankOnly);

        Result settled = processor.settle(bankOnly);

        assertThat(settled).isInstanceOfSatisfying(Result.Finished.class, finished -> {
            assertThat(finished.finish().status()).isEqualTo(Step.Status.FAILED);
            assertThat(finished.finish().attempts()).singleElement().satisfies(attempt -> {
                assertThat(attempt.outcome()).isEqualTo(Attempt.Outcome.ERROR);
                assertThat(attempt.declineCode()).isEqualTo("canceled");
            });
        });
        RechargeOutputs outputs = RechargeOutputs.of(bankOnly, ((Result.Finished) settled).finish(), 0);
        assertThat(outputs.notifications()).singleElement().satisfies(notice -> {
            assertThat(notice.getType()).isEqualTo(NotificationType.PAYMENT_DECLINED);
            assertThat(notice.getAttributes()).containsEntry("declineCodes", "canceled");
        });
        assertThat(gateway.calls()).hasSize(1);
    }

    @Test
    void shouldChargeTheBackupOnceTheDebitsIntentWasCanceled() throws InterruptedException {
        GatewayAnswer canceled = new GatewayAnswer(GatewayAnswer.Kind.ERROR, "canceled", INTENT, null,
                "the payment intent is canceled: nothing was charged");
        gateway.on(BANK, processing(INTENT)).settles(INTENT, canceled).on(VISA, ScriptedGateway.succeeds("ch_visa"));
        processor.process(payment);

        Result settled = processor.settle(payment);

        assertThat(settled).isInstanceOfSatisfying(Result.Finished.class, finished -> {
            assertThat(finished.finish().status()).isEqualTo(Step.Status.SUCCEEDED);
            assertThat(finished.finish().paymentMethodId()).isEqualTo(VISA);
        });
    }

    @Test
    void shouldAskTheGatewayAfterACrashBetweenTheProcessingAnswerAndTheParking() throws InterruptedException {
        // given the processing answer on record, the request not parked: the worker died before its transaction
        Attempt processingDebit = Attempts.inFlight(BANK).answered(GatewayAnswer.processing(INTENT), 0);
        attemptLog.leftByAnEarlierRun(AttemptLogEntry.opened(REQUEST_ID, payment.getAccountId(),
                payment.getAmountCents()).with(processingDebit));
        gateway.settles(INTENT, GatewayAnswer.processing(INTENT));

        // when the request is read again
        Result result = processor.process(payment);

        // then the debit is looked up, not sent again, and the request is parked now
        assertThat(result).isInstanceOf(Result.Processing.class);
        assertThat(gateway.calls()).isEmpty();
        assertThat(gateway.retrieved()).containsExactly(INTENT);
    }

    @Test
    void shouldTellTheBillingEmailsOnceThatTheBankPaymentIsOnItsWay() {
        BillingNotification notice = RechargeOutputs.processing(payment, BANK, 0);

        assertThat(notice.getNotificationId()).isEqualTo("payment-processing:" + payment.getAccountId() + ":"
                + REQUEST_ID);
        assertThat(notice.getType()).isEqualTo(NotificationType.PAYMENT_PROCESSING);
        assertThat(notice.getEmailRecipients()).isEqualTo(payment.getBillingEmails());
        assertThat(notice.getSmsRecipients()).isEmpty();
        assertThat(notice.getSummary()).contains("$35.75", "6789");
    }

    @Test
    void shouldKeepTheParkedRequestOnlyUntilTheRequestIsCompleted() {
        AttemptLogEntry opened = AttemptLogEntry.opened(REQUEST_ID, payment.getAccountId(), payment.getAmountCents());
        AttemptLogEntry parked = opened.with(Attempts.inFlight(BANK).answered(GatewayAnswer.processing(INTENT), 0))
                .parked(payment, 1);

        assertThat(parked.isParked()).isTrue();
        assertThat(parked.completed("SUCCEEDED").isParked()).isFalse();
        assertThat(parked.completed("SUCCEEDED").parkedRequest()).isNull();
    }

    private static GatewayAnswer declined(String code, GatewayAnswer.Kind kind) {
        return new GatewayAnswer(kind, code, INTENT, "ch_3Qbank01", "The customer's bank returned the debit.");
    }
}
