package dev.meterflow.worker.recharge;

import static dev.meterflow.worker.recharge.ScriptedGateway.chargesButTheAnswerIsLost;
import static dev.meterflow.worker.recharge.ScriptedGateway.declinesHard;
import static dev.meterflow.worker.recharge.ScriptedGateway.declinesSoft;
import static dev.meterflow.worker.recharge.ScriptedGateway.rateLimited;
import static dev.meterflow.worker.recharge.ScriptedGateway.refusesTheRequest;
import static dev.meterflow.worker.recharge.ScriptedGateway.succeeds;
import static dev.meterflow.worker.recharge.ScriptedGateway.times;
import static dev.meterflow.worker.recharge.ScriptedGateway.timesOut;
import static dev.meterflow.testdata.PaymentMethodBuilder.aMastercard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.PaymentMethodBuilder.anAmexCard;
import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static dev.meterflow.testdata.TestData.ACCOUNT;
import static dev.meterflow.testdata.TestData.AMEX;
import static dev.meterflow.testdata.TestData.CLOCK;
import static dev.meterflow.testdata.TestData.MASTERCARD;
import static dev.meterflow.testdata.TestData.NOW;
import static dev.meterflow.testdata.TestData.NEXT_REQUEST_ID;
import static dev.meterflow.testdata.TestData.REQUEST_ID;
import static dev.meterflow.testdata.TestData.VISA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.worker.attempts.AttemptLogEntry;
import dev.meterflow.worker.gateway.ChargeCommand;
import dev.meterflow.worker.gateway.RateLimiter;
import dev.meterflow.worker.recharge.RechargeProcessor.Result;
import dev.meterflow.worker.testdata.Attempts;
import dev.meterflow.worker.testdata.TickingClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One recharge request carried through a scripted gateway: what is charged, with which key, what is recorded
 * first, and what the worker is told to publish. Every gateway call is checked against the attempt log as it
 * arrives (see {@link WitnessingAttemptStore}).
 */
class RechargeProcessorTest {

    private static final int MAX_TRIES_WHEN_UNKNOWN = 3;
    private static final int MAX_RATE_LIMITED_WAITS = 5;
    /** The worker's defaults: 4 soft declines of a card in 24 hours, 15 in 30 days. */
    private static final SoftDeclineLimits NETWORK_LIMITS = new SoftDeclineLimits(4, 15);
    private static final String VISA_KEY = ChargeCommand.idempotencyKey(REQUEST_ID, VISA);
    private static final String MASTERCARD_KEY = ChargeCommand.idempotencyKey(REQUEST_ID, MASTERCARD);
    private static final String THIRD_REQUEST_ID = "rr-acct-acme-plumbing-9-0c5e91d2";

    private final WitnessingAttemptStore attemptLog = new WitnessingAttemptStore();
    private final ScriptedGateway gateway = new ScriptedGateway(attemptLog::assertRecordedBefore);
    private final RechargeProcessor processor = processor(gateway, attemptLog, MAX_TRIES_WHEN_UNKNOWN,
            MAX_RATE_LIMITED_WAITS);

    /** Primary Visa, backup Mastercard, $35.75. */
    private final RechargeRequest request = aRechargeRequest().build();

    private final List<Runnable> stopWatching = new ArrayList<>();

    @AfterEach
    void everyCallWasOnRecordFirst() {
        assertThat(attemptLog.callsWitnessed()).isEqualTo(gateway.calls().size());
    }

    @AfterEach
    void stopWatchingLogs() {
        stopWatching.forEach(Runnable::run);
    }

    @Test
    void shouldFinishOnThePrimaryWhenThePrimaryIsCharged() throws InterruptedException {
        // given
        gateway.on(VISA, succeeds("ch_3PqAcme0001"));

        // when
        Result result = processor.process(request);

        // then
        Step.Finish finish = finished(result);
        assertThat(finish.status()).isEqualTo(Step.Status.SUCCEEDED);
        assertThat(finish.paymentMethodId()).isEqualTo(VISA);
        assertThat(finish.chargeId()).isEqualTo("ch_3PqAcme0001");
        assertThat(gateway.calls()).singleElement().isEqualTo(new ChargeCommand(REQUEST_ID, ACCOUNT,
                "cus_Q1acmePlumbing", VISA, 3_575, "usd", VISA_KEY));
        assertThat(((Result.Finished) result).entry()).as("the entry to mark completed is the one on record")
                .isEqualTo(attemptLog.find(REQUEST_ID).orElseThrow());
    }

    @Test
    void shouldChargeTheBackupWhenThePrimaryIsSoftDeclined() throws InterruptedException {
        // given
        gateway.on(VISA, declinesSoft("insufficient_funds"))
                .on(MASTERCARD, succeeds("ch_3PqAcme0002"));

        // when
        Result result = processor.process(request);

        // then
        Step.Finish finish = finished(result);
        assertThat(finish.status()).isEqualTo(Step.Status.SUCCEEDED);
        assertThat(finish.paymentMethodId()).isEqualTo(MASTERCARD);
        assertThat(finish.chargeId()).isEqualTo("ch_3PqAcme0002");
        assertThat(finish.attempts()).extracting(Attempt::paymentMethodId, Attempt::outcome, Attempt::declineCode)
                .containsExactly(
                        tuple(VISA, Attempt.Outcome.DECLINED_SOFT, "insufficient_funds"),
                        tuple(MASTERCARD, Attempt.Outcome.SUCCEEDED, null));
        assertThat(gateway.calls()).extracting(ChargeCommand::idempotencyKey).containsExactly(VISA_KEY, MASTERCARD_KEY);
    }

    @Test
    void shouldFinishDeclinedWithBothAttemptsAndRememberTheHardDeclineWhenBothCardsAreDeclined()
            throws InterruptedException {
        // given
        gateway.on(VISA, declinesSoft("insufficient_funds"))
                .on(MASTERCARD, declinesHard("expired_card"));

        // when
        Result result = processor.process(request);

        // then
        Step.Finish finish = finished(result);
        assertThat(finish.status()).isEqualTo(Step.Status.DECLINED);
        assertThat(finish.paymentMethodId()).isNull();
        assertThat(finish.chargeId()).isNull();
        assertThat(finish.attempts()).extracting(Attempt::paymentMethodId, Attempt::outcome)
                .containsExactly(tuple(VISA, Attempt.Outcome.DECLINED_SOFT),
                        tuple(MASTERCARD, Attempt.Outcome.DECLINED_HARD));
        assertThat(attemptLog.hardDeclinedMethods()).containsExactly(MASTERCARD);
    }

    @Test
    void shouldFinishFailedWhenTheGatewayRefusesTheRequestOnEveryCard() throws InterruptedException {
        // given
        gateway.on(VISA, refusesTheRequest("amount_too_small"))
                .on(MASTERCARD, refusesTheRequest("amount_too_small"));

        // when
        Result result = processor.process(request);

        // then
        assertThat(finished(result).status()).isEqualTo(Step.Status.FAILED);
        assertThat(gateway.chargesMade()).isEmpty();
    }

    @Test
    void shouldSucceedOnARetryWithTheSameKeyAfterAnUnknownOutcomeAndChargeOnlyOnce() throws InterruptedException {
        // given the first call charged the card but its answer was lost
        gateway.on(VISA, chargesButTheAnswerIsLost("ch_3PqAcme0003"));

        // when
        Result result = processor.process(request);

        // then the retry with the same key got the original charge back
        Step.Finish finish = finished(result);
        assertThat(finish.status()).isEqualTo(Step.Status.SUCCEEDED);
        assertThat(finish.chargeId()).isEqualTo("ch_3PqAcme0003");
        assertThat(finish.attempts()).extracting(Attempt::outcome)
                .containsExactly(Attempt.Outcome.UNKNOWN, Attempt.Outcome.SUCCEEDED);
        assertThat(gateway.calls()).extracting(ChargeCommand::idempotencyKey).containsExactly(VISA_KEY, VISA_KEY);
        assertThat(gateway.chargesMade()).containsExactly("ch_3PqAcme0003");
        assertThat(gateway.callsOn(MASTERCARD)).isEmpty();
    }

    @Test
    void shouldFinishWithTheChargeTheLookUpFindsWithoutChargingTheBackupWhenThePrimaryStaysUnknown()
            throws InterruptedException {
        // given the card was charged, but no answer comes back for any of the tries
        gateway.on(VISA, chargesButTheAnswerIsLost("ch_3PqAcme0004"), timesOut(), timesOut());

        // when
        Result result = processor.process(request);

        // then
        Step.Finish finish = finished(result);
        assertThat(finish.status()).isEqualTo(Step.Status.SUCCEEDED);
        assertThat(finish.paymentMethodId()).isEqualTo(VISA);
        assertThat(finish.chargeId()).isEqualTo("ch_3PqAcme0004");
        assertThat(gateway.callsOn(VISA)).hasSize(MAX_TRIES_WHEN_UNKNOWN)
                .extracting(ChargeCommand::idempotencyKey).containsOnly(VISA_KEY);
        assertThat(gateway.lookUps()).containsExactly(VISA);
        assertThat(gateway.callsOn(MASTERCARD)).isEmpty();
        assertThat(gateway.chargesMade()).containsExactly("ch_3PqAcme0004");
    }

    @Test
    void shouldHoldOnThePrimaryAndNeverCallTheBackupWhenTheLookUpFindsNothingAndTheLastRetryStaysUnknown()
            throws InterruptedException {
        // given the gateway cannot be reached on the primary at all
        gateway.on(VISA, times(MAX_TRIES_WHEN_UNKNOWN + 1, timesOut()));

        // when
        Result result = processor.process(request);

        // then
        assertThat(result).isInstanceOfSatisfying(Result.Held.class,
                held -> assertThat(held.paymentMethodId()).isEqualTo(VISA));
        assertThat(gateway.lookUps()).containsExactly(VISA);
        assertThat(gateway.callsOn(VISA)).as("the tries, then one more after the look-up")
                .hasSize(MAX_TRIES_WHEN_UNKNOWN + 1)
                .extracting(ChargeCommand::idempotencyKey).containsOnly(VISA_KEY);
        assertThat(gateway.callsOn(MASTERCARD)).isEmpty();
        AttemptLogEntry onRecord = attemptLog.find(REQUEST_ID).orElseThrow();
        assertThat(onRecord.isCompleted()).isFalse();
        assertThat(onRecord.attempts()).hasSize(MAX_TRIES_WHEN_UNKNOWN + 1).allMatch(Attempt::unresolved);
    }

    @Test
    void shouldSettleAHeldRequestWhenItIsProcessedAgainAndTheGatewayAnswers() throws InterruptedException {
        // given a request held on the primary
        gateway.on(VISA, times(MAX_TRIES_WHEN_UNKNOWN + 1, timesOut()));
        assertThat(processor.process(request)).isInstanceOf(Result.Held.class);

        // when the worker comes back to it after the reconcile interval, and the gateway answers again
        gateway.on(VISA, succeeds("ch_3PqAcme0005"));
        Result result = processor.process(request);

        // then
        Step.Finish finish = finished(result);
        assertThat(finish.status()).isEqualTo(Step.Status.SUCCEEDED);
        assertThat(finish.paymentMethodId()).isEqualTo(VISA);
        assertThat(gateway.lookUps()).containsExactly(VISA, VISA);
        assertThat(gateway.callsOn(MASTERCARD)).isEmpty();
    }

    @Test
    void shouldResumeAfterACrashWithTheKeyOfTheAttemptLeftInFlight() throws InterruptedException {
        // given the worker recorded a call on the primary, then crashed before the answer
        attemptLog.leftByAnEarlierRun(AttemptLogEntry.opened(REQUEST_ID, ACCOUNT, 3_575).with(Attempts.inFlight(VISA)));
        gateway.on(VISA, succeeds("ch_3PqAcme0006"));

        // when the redelivered request is processed
        Result result = processor.process(request);

        // then
        assertThat(gateway.calls()).first().extracting(ChargeCommand::paymentMethodId, ChargeCommand::idempotencyKey)
                .containsExactly(VISA, VISA_KEY);
        Step.Finish finish = finished(result);
        assertThat(finish.status()).isEqualTo(Step.Status.SUCCEEDED);
        assertThat(finish.attempts()).extracting(Attempt::outcome).containsExactly(null, Attempt.Outcome.SUCCEEDED);
    }

    @Test
    void shouldNotChargeAgainWhenTheCallCutShortByACrashHadGoneThrough() throws InterruptedException {
        // given the call in flight at the crash reached the gateway and charged the card
        attemptLog.leftByAnEarlierRun(AttemptLogEntry.opened(REQUEST_ID, ACCOUNT, 3_575).with(Attempts.inFlight(VISA)));
        gateway.alreadyCharged(VISA_KEY, "ch_3PqAcme0007");

        // when
        Result result = processor.process(request);

        // then
        Step.Finish finish = finished(result);
        assertThat(finish.chargeId()).isEqualTo("ch_3PqAcme0007");
        assertThat(gateway.chargesMade()).containsExactly("ch_3PqAcme0007");
        assertThat(gateway.callsOn(MASTERCARD)).isEmpty();
    }

    @Test
    void shouldResumeOnTheBackupWhenTheCrashCameWhileChargingTheBackup() throws InterruptedException {
        // given the primary was declined, then the worker crashed while calling the backup
        attemptLog.leftByAnEarlierRun(AttemptLogEntry.opened(REQUEST_ID, ACCOUNT, 3_575)
                .with(Attempts.declinedSoft(VISA, "insufficient_funds")).with(Attempts.inFlight(MASTERCARD)));
        gateway.on(MASTERCARD, succeeds("ch_3PqAcme0013"));

        // when
        Result result = processor.process(request);

        // then
        assertThat(gateway.calls()).singleElement().extracting(ChargeCommand::idempotencyKey).isEqualTo(MASTERCARD_KEY);
        assertThat(finished(result).paymentMethodId()).isEqualTo(MASTERCARD);
    }

    @Test
    void shouldReportARecordedSuccessWithoutCallingAgainWhenTheCrashCameBeforeTheResultWasCommitted()
            throws InterruptedException {
        // given the charge was answered and recorded, but the worker died before publishing the result
        attemptLog.leftByAnEarlierRun(AttemptLogEntry.opened(REQUEST_ID, ACCOUNT, 3_575)
                .with(Attempts.succeeded(VISA, "ch_3PqAcme0014")));

        // when the redelivered request is processed
        Result result = processor.process(request);

        // then
        Step.Finish finish = finished(result);
        assertThat(finish.status()).isEqualTo(Step.Status.SUCCEEDED);
        assertThat(finish.chargeId()).isEqualTo("ch_3PqAcme0014");
        assertThat(gateway.calls()).isEmpty();
        assertThat(gateway.lookUps()).isEmpty();
    }

    @Test
    void shouldRefuseARequestIdReusedForAnotherAmountWithoutCallingTheGateway() throws InterruptedException {
        // given
        AttemptLogEntry earlier = AttemptLogEntry.opened(REQUEST_ID, ACCOUNT, 2_000).with(Attempts.unknown(VISA));
        attemptLog.leftByAnEarlierRun(earlier);

        // when
        Result result = processor.process(aRechargeRequest().amountCents(3_575).build());

        // then
        assertThat(result).isInstanceOfSatisfying(Result.Refused.class, refused -> {
            assertThat(refused.reason()).contains(REQUEST_ID, "2000", "3575");
            assertThat(refused.finish().status()).isEqualTo(Step.Status.FAILED);
        });
        assertThat(gateway.calls()).isEmpty();
        assertThat(gateway.lookUps()).isEmpty();
        assertThat(attemptLog.find(REQUEST_ID)).as("the earlier record is left alone").contains(earlier);
    }

    @Test
    void shouldDoNothingForARequestWhoseResultWasAlreadyCommitted() throws InterruptedException {
        // given
        attemptLog.leftByAnEarlierRun(AttemptLogEntry.opened(REQUEST_ID, ACCOUNT, 3_575)
                .with(Attempts.succeeded(VISA, "ch_3PqAcme0008")).completed("SUCCEEDED"));

        // when the request is delivered again
        Result result = processor.process(request);

        // then
        assertThat(result).isEqualTo(new Result.AlreadyCompleted("SUCCEEDED"));
        assertThat(gateway.calls()).isEmpty();
        assertThat(attemptLog.journal()).isEmpty();
    }

    @Test
    void shouldWaitOutRateLimitsOnTheSameCardAndNeverMoveToTheBackup() throws InterruptedException {
        // given
        gateway.on(VISA, rateLimited(), rateLimited(), succeeds("ch_3PqAcme0009"));

        // when
        Result result = processor.process(request);

        // then
        Step.Finish finish = finished(result);
        assertThat(finish.status()).isEqualTo(Step.Status.SUCCEEDED);
        assertThat(finish.paymentMethodId()).isEqualTo(VISA);
        assertThat(finish.attempts()).as("the waits are one attempt").extracting(Attempt::outcome)
                .containsExactly(Attempt.Outcome.SUCCEEDED);
        assertThat(gateway.callsOn(VISA)).hasSize(3).extracting(ChargeCommand::idempotencyKey).containsOnly(VISA_KEY);
        assertThat(gateway.chargesMade()).containsExactly("ch_3PqAcme0009");
        assertThat(gateway.callsOn(MASTERCARD)).isEmpty();
    }

    @Test
    void shouldHoldOnThePrimaryRatherThanTryTheBackupWhenTheGatewayStaysRateLimited() throws InterruptedException {
        // given a gateway that never lets a call through
        int maxWaits = 2;
        RechargeProcessor impatient = processor(gateway, attemptLog, MAX_TRIES_WHEN_UNKNOWN, maxWaits);
        gateway.on(VISA, times((MAX_TRIES_WHEN_UNKNOWN + 1) * (maxWaits + 1), rateLimited()));

        // when
        Result result = impatient.process(request);

        // then
        assertThat(result).isInstanceOfSatisfying(Result.Held.class,
                held -> assertThat(held.paymentMethodId()).isEqualTo(VISA));
        assertThat(gateway.callsOn(VISA)).as("every try waited out the rate limit, then the look-up's extra try")
                .hasSize((MAX_TRIES_WHEN_UNKNOWN + 1) * (maxWaits + 1));
        assertThat(gateway.callsOn(MASTERCARD)).isEmpty();
    }

    @Test
    void shouldRecordEachAttemptBeforeCallingTheGatewayAndAgainWithTheAnswer() throws InterruptedException {
        // given
        gateway.on(VISA, declinesSoft("insufficient_funds"))
                .on(MASTERCARD, succeeds("ch_3PqAcme0010"));

        // when
        processor.process(request);

        // then
        assertThat(attemptLog.journal()).extracting(RechargeProcessorTest::cardsAndOutcomes).containsExactly(
                pairs(VISA, null),
                pairs(VISA, Attempt.Outcome.DECLINED_SOFT),
                pairs(VISA, Attempt.Outcome.DECLINED_SOFT, MASTERCARD, null),
                pairs(VISA, Attempt.Outcome.DECLINED_SOFT, MASTERCARD, Attempt.Outcome.SUCCEEDED));
        assertThat(attemptLog.callsWitnessed()).isEqualTo(2);
    }

    @Test
    void shouldNeverChargeACardHardDeclinedByAnEarlierRequest() throws InterruptedException {
        // given the primary was reported stolen while charging the previous request
        gateway.on(VISA, declinesHard("stolen_card"))
                .on(MASTERCARD, succeeds("ch_3PqAcme0011"), succeeds("ch_3PqAcme0012"));
        processor.process(request);

        // when the next request lists the same cards
        Result result = processor.process(aRechargeRequest().withId(NEXT_REQUEST_ID).build());

        // then
        Step.Finish finish = finished(result);
        assertThat(finish.paymentMethodId()).isEqualTo(MASTERCARD);
        assertThat(finish.attempts()).extracting(Attempt::paymentMethodId).containsExactly(MASTERCARD);
        assertThat(gateway.callsOn(VISA)).extracting(ChargeCommand::requestId).containsExactly(REQUEST_ID);
    }

    @Test
    void shouldChargeAHardDeclinedCardAgainOnceItsDetailsChange() throws InterruptedException {
        // issue 10 §6: given the primary was reported stolen while charging the previous request
        gateway.on(VISA, declinesHard("stolen_card"), succeeds("ch_3PqAcme0021"))
                .on(MASTERCARD, succeeds("ch_3PqAcme0020"));
        processor.process(request);

        // when the issuer reissued it (same payment method id, new last 4) and the next request names that
        Result result = processor.process(aRechargeRequest().withId(NEXT_REQUEST_ID)
                .payingWith(aVisaCard().primary().reissuedWithLast4("1881"), aMastercard().backup()).build());

        // then the reissued card is charged
        Step.Finish finish = finished(result);
        assertThat(finish.paymentMethodId()).isEqualTo(VISA);
        assertThat(gateway.callsOn(VISA)).extracting(ChargeCommand::requestId)
                .containsExactly(REQUEST_ID, NEXT_REQUEST_ID);
    }

    @Test
    void shouldChargeAHardDeclinedCardAgainOnceItsExpiryChangesUnderTheSameLast4() throws InterruptedException {
        // issue 10 §6: given the primary, expiring 08/2028, was declined as expired while charging a request
        gateway.on(VISA, declinesHard("expired_card"), succeeds("ch_3PqAcme0031"))
                .on(MASTERCARD, succeeds("ch_3PqAcme0030"), succeeds("ch_3PqAcme0032"));
        processor.process(aRechargeRequest()
                .payingWith(aVisaCard().primary().expiring(8, 2028), aMastercard().backup()).build());

        // when the next request still names that expiry, and the one after it the renewed card's
        Result same = processor.process(aRechargeRequest().withId(NEXT_REQUEST_ID)
                .payingWith(aVisaCard().primary().expiring(8, 2028), aMastercard().backup()).build());
        Result renewed = processor.process(aRechargeRequest().withId(THIRD_REQUEST_ID)
                .payingWith(aVisaCard().primary().expiring(8, 2031), aMastercard().backup()).build());

        // then the card is skipped while its details stay the same, and charged once they changed
        assertThat(finished(same).paymentMethodId()).isEqualTo(MASTERCARD);
        assertThat(finished(renewed).paymentMethodId()).isEqualTo(VISA);
        assertThat(gateway.callsOn(VISA)).extracting(ChargeCommand::requestId)
                .containsExactly(REQUEST_ID, THIRD_REQUEST_ID);
    }

    @Test
    void shouldPassOverThePrimaryAtItsDailySoftDeclineLimitAcrossRequestsUntilTheOldestDeclineIsADayOld()
            throws InterruptedException {
        // given a primary that keeps being soft-declined and a backup that pays, one request an hour
        TickingClock clock = new TickingClock(NOW);
        RechargeProcessor worker = processor(gateway, attemptLog, MAX_TRIES_WHEN_UNKNOWN, MAX_RATE_LIMITED_WAITS,
                NETWORK_LIMITS, clock);
        gateway.on(VISA, times(5, declinesSoft("insufficient_funds")));
        for (int n = 1; n <= 6; n++) {
            gateway.on(MASTERCARD, succeeds("ch_3PqAcmeLimit" + n));
        }
        for (int n = 1; n <= 4; n++) {
            assertThat(finished(worker.process(requestNumber(n))).paymentMethodId()).isEqualTo(MASTERCARD);
            clock.advance(Duration.ofHours(1));
        }

        // when the fifth request comes within the same 24 hours, and a sixth once the first decline is 24 h old
        ListAppender<ILoggingEvent> logLines = watchLogOf(RechargeProcessor.class);
        Step.Finish fifth = finished(worker.process(requestNumber(5)));
        clock.advance(Duration.ofHours(20));
        Step.Finish sixth = finished(worker.process(requestNumber(6)));

        // then the fifth never reached the primary: no call, no attempt, the backup charged, and it says so once
        assertThat(fifth.status()).isEqualTo(Step.Status.SUCCEEDED);
        assertThat(fifth.paymentMethodId()).isEqualTo(MASTERCARD);
        assertThat(fifth.attempts()).extracting(Attempt::paymentMethodId).containsExactly(MASTERCARD);
        assertThat(logLines.list)
                .filteredOn(line -> line.getFormattedMessage().startsWith("payment method passed over"))
                .singleElement().satisfies(line -> {
                    assertThat(line.getLevel()).isEqualTo(Level.INFO);
                    assertThat(line.getFormattedMessage()).contains("requestId='" + requestIdNumber(5) + "'",
                            "account='" + ACCOUNT + "'", "paymentMethod='" + VISA + "'",
                            "reason=retry_limit_reached", "softDeclinesIn24h=4", "softDeclinesIn30Days=4");
                });
        assertThat(sixth.attempts()).extracting(Attempt::paymentMethodId, Attempt::outcome).containsExactly(
                tuple(VISA, Attempt.Outcome.DECLINED_SOFT), tuple(MASTERCARD, Attempt.Outcome.SUCCEEDED));
        assertThat(gateway.callsOn(VISA)).extracting(ChargeCommand::requestId).containsExactly(
                requestIdNumber(1), requestIdNumber(2), requestIdNumber(3), requestIdNumber(4), requestIdNumber(6));
    }

    @Test
    void shouldFinishDeclinedWithoutCallingTheGatewayWhenEveryCardIsAtItsSoftDeclineLimit()
            throws InterruptedException {
        // given both cards were soft-declined an hour ago, with a limit of one a day
        TickingClock clock = new TickingClock(NOW);
        RechargeProcessor worker = processor(gateway, attemptLog, MAX_TRIES_WHEN_UNKNOWN, MAX_RATE_LIMITED_WAITS,
                new SoftDeclineLimits(1, 15), clock);
        gateway.on(VISA, declinesSoft("do_not_honor")).on(MASTERCARD, declinesSoft("insufficient_funds"));
        assertThat(finished(worker.process(requestNumber(1))).status()).isEqualTo(Step.Status.DECLINED);
        clock.advance(Duration.ofHours(1));

        // when
        Step.Finish next = finished(worker.process(requestNumber(2)));

        // then
        assertThat(next.status()).isEqualTo(Step.Status.DECLINED);
        assertThat(next.attempts()).isEmpty();
        assertThat(next.passedOver()).containsExactly(new Step.PassedOver(VISA, 1, 1),
                new Step.PassedOver(MASTERCARD, 1, 1));
        assertThat(gateway.calls()).extracting(ChargeCommand::requestId).containsOnly(requestIdNumber(1));
    }

    @Property(tries = 300)
    void shouldKeepEveryCardsSoftDeclinesWithinTheRetryLimitsWhateverTheSequenceOfRequests(
            @ForAll @IntRange(min = 1, max = 4) int maxPerDay,
            @ForAll @IntRange(min = 1, max = 12) int maxPer30Days,
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 30) Integer> hoursBeforeEachRequest,
            @ForAll @Size(max = 12) List<GatewayBehaviour> onVisa,
            @ForAll @Size(max = 12) List<GatewayBehaviour> onMastercard) throws InterruptedException {
        // given a gateway that soft-declines every card once its script is used up; each call takes a minute
        TickingClock clock = new TickingClock(NOW);
        WitnessingAttemptStore log = new WitnessingAttemptStore();
        ScriptedGateway anyGateway = new ScriptedGateway(call -> {
            log.assertRecordedBefore(call);
            clock.advance(Duration.ofMinutes(1));
        }).thenForEveryMethod(declinesSoft("do_not_honor"));
        Map.of(VISA, onVisa, MASTERCARD, onMastercard).forEach((method, script) -> {
            for (int call = 0; call < script.size(); call++) {
                anyGateway.on(method, script.get(call).on(method, call));
            }
        });
        RechargeProcessor worker = processor(anyGateway, log, MAX_TRIES_WHEN_UNKNOWN, 1,
                new SoftDeclineLimits(maxPerDay, maxPer30Days), clock);

        // when one account's requests come one after the other (a request held for good holds up the rest)
        boolean passedOver = false;
        for (int n = 0; n < hoursBeforeEachRequest.size(); n++) {
            clock.advance(Duration.ofHours(hoursBeforeEachRequest.get(n)));
            Result result = worker.process(requestNumber(n + 1));
            if (result instanceof Result.Held) {
                result = worker.process(requestNumber(n + 1));
            }
            if (result instanceof Result.Held) {
                break;
            }
            passedOver |= !((Result.Finished) result).finish().passedOver().isEmpty();
        }

        // then in any 24 hours and any 30 days each card was soft-declined at most as often as allowed
        for (String card : List.of(VISA, MASTERCARD)) {
            List<Long> declinedAt = softDeclineTimes(log.journal(), card);
            for (long at : declinedAt) {
                assertThat(declinedAt.stream().filter(t -> t > at - Duration.ofHours(24).toMillis() && t <= at))
                        .as("%s soft declines in the 24 h up to %s", card, Instant.ofEpochMilli(at))
                        .hasSizeLessThanOrEqualTo(maxPerDay);
                assertThat(declinedAt.stream().filter(t -> t > at - Duration.ofDays(30).toMillis() && t <= at))
                        .as("%s soft declines in the 30 days up to %s", card, Instant.ofEpochMilli(at))
                        .hasSizeLessThanOrEqualTo(maxPer30Days);
            }
        }
        Statistics.label("a card passed over at its limit").collect(passedOver);
        Statistics.label("a card passed over at its limit")
                .coverage(coverage -> coverage.check(true).count(count -> count > 0));
    }

    private ListAppender<ILoggingEvent> watchLogOf(Class<?> type) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Logger logger = (Logger) LoggerFactory.getLogger(type);
        Level configured = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        stopWatching.add(() -> {
            logger.detachAppender(appender);
            logger.setLevel(configured);
        });
        return appender;
    }

    /** When the gateway soft-declined the card, one time per idempotency key (a replayed answer is one decline). */
    private static List<Long> softDeclineTimes(List<AttemptLogEntry> journal, String card) {
        Map<String, Long> byKey = new HashMap<>();
        journal.forEach(entry -> entry.attempts().stream()
                .filter(a -> a.paymentMethodId().equals(card) && a.outcome() == Attempt.Outcome.DECLINED_SOFT)
                .forEach(a -> byKey.merge(a.idempotencyKey(), a.atMillis(), Math::min)));
        return byKey.values().stream().sorted().toList();
    }

    private static String requestIdNumber(int n) {
        return "rr-" + ACCOUNT + "-" + n + "-5e1f0c" + String.format("%02d", n);
    }

    private static RechargeRequest requestNumber(int n) {
        return aRechargeRequest().withId(requestIdNumber(n)).build();
    }

    /** How a gateway may treat one call, for the property below. */
    enum GatewayBehaviour {
        SUCCEEDS, DECLINES_HARD, DECLINES_SOFT, REFUSES, TIMES_OUT, CHARGES_BUT_ANSWER_LOST, RATE_LIMITED;

        ScriptedGateway.Behaviour on(String paymentMethodId, int call) {
            String chargeId = "ch_3Pq" + paymentMethodId.substring("pm_card_".length()) + call;
            return switch (this) {
                case SUCCEEDS -> succeeds(chargeId);
                case DECLINES_HARD -> declinesHard("lost_card");
                case DECLINES_SOFT -> declinesSoft("do_not_honor");
                case REFUSES -> refusesTheRequest("amount_too_small");
                case TIMES_OUT -> timesOut();
                case CHARGES_BUT_ANSWER_LOST -> chargesButTheAnswerIsLost(chargeId);
                case RATE_LIMITED -> rateLimited();
            };
        }
    }

    @Property(tries = 500)
    void shouldNeverLeaveTwoChargesForOneRequestNorReportACardChargedAsNotCharged(
            @ForAll @IntRange(min = 1, max = 3) int maxTriesWhenUnknown,
            @ForAll @Size(max = 6) List<GatewayBehaviour> onVisa,
            @ForAll @Size(max = 6) List<GatewayBehaviour> onMastercard,
            @ForAll @Size(max = 6) List<GatewayBehaviour> onAmex,
            @ForAll @IntRange(min = 1, max = 3) int reconcileRounds) throws InterruptedException {
        // given a gateway that, once a card's script is used up, times out for good
        WitnessingAttemptStore log = new WitnessingAttemptStore();
        ScriptedGateway anyGateway = new ScriptedGateway(log::assertRecordedBefore).thenForEveryMethod(timesOut());
        Map.of(VISA, onVisa, MASTERCARD, onMastercard, AMEX, onAmex).forEach((method, script) -> {
            for (int call = 0; call < script.size(); call++) {
                anyGateway.on(method, script.get(call).on(method, call));
            }
        });
        RechargeProcessor worker = processor(anyGateway, log, maxTriesWhenUnknown, 1);
        RechargeRequest threeCards = aRechargeRequest()
                .payingWith(aVisaCard().primary(), aMastercard().backup(), anAmexCard().other()).build();

        // when the worker works the request, coming back to it while it is held
        List<Result> results = new ArrayList<>();
        do {
            results.add(worker.process(threeCards));
        } while (results.get(results.size() - 1) instanceof Result.Held && results.size() < reconcileRounds);
        Result last = results.get(results.size() - 1);

        // then
        assertThat(anyGateway.chargesMade()).as("charges the gateway holds for one request").hasSizeLessThanOrEqualTo(1);
        if (last instanceof Result.Finished finished && finished.finish().status() == Step.Status.SUCCEEDED) {
            assertThat(anyGateway.chargesMade()).containsExactly(finished.finish().chargeId());
        } else if (last instanceof Result.Finished finished) {
            assertThat(anyGateway.chargesMade()).as("a card charged, reported %s", finished.finish().status())
                    .isEmpty();
        } else {
            Result.Held held = (Result.Held) last;
            assertThat(anyGateway.calls()).as("nothing after the held card")
                    .allMatch(call -> ordinal(call.paymentMethodId()) <= ordinal(held.paymentMethodId()));
        }
        assertThat(log.callsWitnessed()).isEqualTo(anyGateway.calls().size());
        Statistics.label("result").collect(last instanceof Result.Finished finished
                ? "Finished " + finished.finish().status() : last.getClass().getSimpleName());
    }

    private static int ordinal(String paymentMethodId) {
        return List.of(VISA, MASTERCARD, AMEX).indexOf(paymentMethodId);
    }

    private static RechargeProcessor processor(ScriptedGateway gateway, WitnessingAttemptStore attempts,
                                               int maxTriesWhenUnknown, int maxRateLimitedWaits) {
        return processor(gateway, attempts, maxTriesWhenUnknown, maxRateLimitedWaits, NETWORK_LIMITS, CLOCK);
    }

    private static RechargeProcessor processor(ScriptedGateway gateway, WitnessingAttemptStore attempts,
                                               int maxTriesWhenUnknown, int maxRateLimitedWaits,
                                               SoftDeclineLimits limits, Clock clock) {
        return new RechargeProcessor(gateway, attempts, new AttemptPlan(maxTriesWhenUnknown, limits),
                new RateLimiter(1_000_000), Duration.ZERO, maxRateLimitedWaits, clock);
    }

    private static Step.Finish finished(Result result) {
        assertThat(result).isInstanceOf(Result.Finished.class);
        return ((Result.Finished) result).finish();
    }

    /** An entry as (card, outcome) pairs, in order. */
    private static List<Object> cardsAndOutcomes(AttemptLogEntry entry) {
        List<Object> pairs = new ArrayList<>();
        entry.attempts().forEach(attempt -> {
            pairs.add(attempt.paymentMethodId());
            pairs.add(attempt.outcome());
        });
        return pairs;
    }

    private static List<Object> pairs(Object... cardsAndOutcomes) {
        return Arrays.asList(cardsAndOutcomes);
    }
}
