package dev.meterflow.worker.recharge;

import static dev.meterflow.worker.testdata.Attempts.declinedHard;
import static dev.meterflow.worker.testdata.Attempts.declinedSoft;
import static dev.meterflow.worker.testdata.Attempts.failedWithError;
import static dev.meterflow.worker.testdata.Attempts.inFlight;
import static dev.meterflow.worker.testdata.Attempts.key;
import static dev.meterflow.worker.testdata.Attempts.succeeded;
import static dev.meterflow.worker.testdata.Attempts.unknown;
import static dev.meterflow.worker.testdata.TestData.AMEX;
import static dev.meterflow.worker.testdata.TestData.MASTERCARD;
import static dev.meterflow.worker.testdata.TestData.REQUEST_ID;
import static dev.meterflow.worker.testdata.TestData.VISA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meterflow.worker.gateway.ChargeCommand;
import dev.meterflow.worker.testdata.Attempts.GatewayAnswers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The fallback matrix (DESIGN.md decision 4): primary, then backup; a decline or an error moves on; an
 * unknown outcome keeps the same card and key until it is settled or held; a hard decline is final.
 */
class AttemptPlanTest {

    private static final int MAX_TRIES_WHEN_UNKNOWN = 3;
    private static final List<String> PRIMARY_THEN_BACKUP = List.of(VISA, MASTERCARD);
    private static final Set<String> NOTHING_HARD_DECLINED_BEFORE = Set.of();

    private final AttemptPlan plan = new AttemptPlan(MAX_TRIES_WHEN_UNKNOWN);

    @Test
    void shouldChargeThePrimaryFirstWithTheRequestsKeyForThatCard() {
        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, List.of(), NOTHING_HARD_DECLINED_BEFORE);

        // then
        assertThat(step).isEqualTo(new Step.Charge(VISA, "meterflow/" + REQUEST_ID + "/" + VISA));
    }

    @Test
    void shouldFinishOnThePrimaryWhenThePrimarySucceeds() {
        // given
        List<Attempt> attempts = List.of(succeeded(VISA, "ch_3PqAcme0001"));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_HARD_DECLINED_BEFORE);

        // then
        assertThat(step).isEqualTo(new Step.Finish(Step.Status.SUCCEEDED, VISA, "ch_3PqAcme0001", attempts));
    }

    @Test
    void shouldChargeTheBackupWhenThePrimaryIsSoftDeclined() {
        // given
        List<Attempt> attempts = List.of(declinedSoft(VISA, "insufficient_funds"));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_HARD_DECLINED_BEFORE);

        // then
        assertThat(step).isEqualTo(new Step.Charge(MASTERCARD, key(MASTERCARD)));
    }

    @Test
    void shouldChargeTheBackupAndNeverThePrimaryAgainWhenThePrimaryIsHardDeclined() {
        // given
        List<Attempt> primaryStolen = List.of(declinedHard(VISA, "stolen_card"));
        List<Attempt> thenBackupDown = List.of(declinedHard(VISA, "stolen_card"), unknown(MASTERCARD));
        List<Attempt> thenBackupFails = List.of(declinedHard(VISA, "stolen_card"), failedWithError(MASTERCARD));

        // when
        Step afterPrimary = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, primaryStolen, Set.of(VISA));
        Step whileBackupUnknown = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, thenBackupDown, Set.of(VISA));
        Step afterBackup = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, thenBackupFails, Set.of(VISA));

        // then
        assertThat(afterPrimary).isEqualTo(new Step.Charge(MASTERCARD, key(MASTERCARD)));
        assertThat(whileBackupUnknown).isEqualTo(new Step.Charge(MASTERCARD, key(MASTERCARD)));
        assertThat(afterBackup).isEqualTo(new Step.Finish(Step.Status.DECLINED, null, null, thenBackupFails));
    }

    @Test
    void shouldFinishDeclinedWithBothAttemptsWhenPrimaryAndBackupAreDeclined() {
        // given
        List<Attempt> attempts = List.of(declinedSoft(VISA, "insufficient_funds"),
                declinedHard(MASTERCARD, "expired_card"));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, Set.of(MASTERCARD));

        // then
        assertThat(step).isEqualTo(new Step.Finish(Step.Status.DECLINED, null, null, attempts));
        assertThat(((Step.Finish) step).attempts()).extracting(Attempt::paymentMethodId, Attempt::declineCode)
                .containsExactly(
                        tuple(VISA, "insufficient_funds"),
                        tuple(MASTERCARD, "expired_card"));
    }

    @Test
    void shouldRetryThePrimaryWithTheSameKeyAndNotChargeTheBackupWhileThePrimaryIsUnknown() {
        // given
        List<Attempt> attempts = List.of(unknown(VISA));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_HARD_DECLINED_BEFORE);

        // then
        assertThat(step).isEqualTo(new Step.Charge(VISA, attempts.get(0).idempotencyKey()));
    }

    @Test
    void shouldHoldOnThePrimaryWhenItsOutcomeStaysUnknownAfterTheMaximumTries() {
        // given
        List<Attempt> oneTryShort = List.of(unknown(VISA), unknown(VISA));
        List<Attempt> maxTries = List.of(unknown(VISA), unknown(VISA), unknown(VISA));

        // when
        Step beforeTheLimit = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, oneTryShort, NOTHING_HARD_DECLINED_BEFORE);
        Step atTheLimit = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, maxTries, NOTHING_HARD_DECLINED_BEFORE);

        // then
        assertThat(beforeTheLimit).isEqualTo(new Step.Charge(VISA, key(VISA)));
        assertThat(atTheLimit).isEqualTo(new Step.Hold(VISA, key(VISA)));
    }

    @Test
    void shouldCallAgainWithTheSameKeyWhenAnAttemptWasLeftInFlightByACrash() {
        // given the worker recorded the attempt, then died before the gateway answered
        List<Attempt> attempts = List.of(inFlight(VISA));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_HARD_DECLINED_BEFORE);

        // then
        assertThat(step).isEqualTo(new Step.Charge(VISA, attempts.get(0).idempotencyKey()));
    }

    @Test
    void shouldCountAnInFlightAttemptAsAnUnknownTry() {
        // given
        List<Attempt> attempts = List.of(inFlight(VISA), unknown(VISA), unknown(VISA));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_HARD_DECLINED_BEFORE);

        // then
        assertThat(step).isEqualTo(new Step.Hold(VISA, key(VISA)));
    }

    @Test
    void shouldMoveToTheBackupOnceAnUnknownPrimaryTurnsOutDeclined() {
        // given
        List<Attempt> attempts = List.of(unknown(VISA), declinedSoft(VISA, "insufficient_funds"));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_HARD_DECLINED_BEFORE);

        // then
        assertThat(step).isEqualTo(new Step.Charge(MASTERCARD, key(MASTERCARD)));
    }

    @Test
    void shouldSkipACardHardDeclinedForAnEarlierRequest() {
        // given the primary was reported stolen while charging an earlier request
        Set<String> hardDeclinedBefore = Set.of(VISA);

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, List.of(), hardDeclinedBefore);

        // then
        assertThat(step).isEqualTo(new Step.Charge(MASTERCARD, key(MASTERCARD)));
    }

    @Test
    void shouldFinishDeclinedWithoutACallWhenEveryCardWasHardDeclinedBefore() {
        // given
        Set<String> hardDeclinedBefore = Set.of(VISA, MASTERCARD, AMEX);

        // when
        Step step = plan.next(REQUEST_ID, List.of(VISA, MASTERCARD, AMEX), List.of(), hardDeclinedBefore);

        // then
        assertThat(step).isEqualTo(new Step.Finish(Step.Status.DECLINED, null, null, List.of()));
    }

    @Test
    void shouldFinishFailedWhenEveryCardAnswersWithAnError() {
        // given nothing was declined: the gateway refused the request itself on each card
        List<Attempt> attempts = List.of(failedWithError(VISA), failedWithError(MASTERCARD));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_HARD_DECLINED_BEFORE);

        // then
        assertThat(step).isEqualTo(new Step.Finish(Step.Status.FAILED, null, null, attempts));
    }

    @Test
    void shouldFinishDeclinedWhenOneCardIsDeclinedAndTheOtherAnswersWithAnError() {
        // given
        List<Attempt> attempts = List.of(declinedSoft(VISA, "insufficient_funds"), failedWithError(MASTERCARD));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_HARD_DECLINED_BEFORE);

        // then
        assertThat(step).isEqualTo(new Step.Finish(Step.Status.DECLINED, null, null, attempts));
    }

    /** What one gateway call came to, as the attempt log shows it; IN_FLIGHT: the worker crashed mid-call. */
    enum CallOutcome { SUCCEEDED, DECLINED_HARD, DECLINED_SOFT, ERROR, UNKNOWN, IN_FLIGHT }

    @Property
    void shouldNeverChargeAroundAnUnknownCardNorAfterAHardDeclineOrASuccessAndAlwaysComeToAnEnd(
            @ForAll @IntRange(min = 1, max = 3) int methodCount,
            @ForAll @IntRange(min = 1, max = 4) int maxTriesWhenUnknown,
            @ForAll @Size(3) List<Boolean> hardDeclinedByAnEarlierRequest,
            @ForAll @Size(16) List<CallOutcome> gatewayAnswers) {
        // given
        List<String> methods = List.of(VISA, MASTERCARD, AMEX).subList(0, methodCount);
        Set<String> hardDeclined = new HashSet<>();
        for (int i = 0; i < methodCount; i++) {
            if (hardDeclinedByAnEarlierRequest.get(i)) {
                hardDeclined.add(methods.get(i));
            }
        }
        AttemptPlan policy = new AttemptPlan(maxTriesWhenUnknown);
        int stepLimit = methodCount * maxTriesWhenUnknown + methodCount;
        Iterator<CallOutcome> gateway = gatewayAnswers.iterator();
        List<Attempt> attempts = new ArrayList<>();

        // when the plan's every charge is answered with the next answer, until it stops
        for (int steps = 1; ; steps++) {
            assertThat(steps).as("steps before a Finish or a Hold").isLessThanOrEqualTo(stepLimit);
            Step step = policy.next(REQUEST_ID, methods, attempts, Set.copyOf(hardDeclined));
            if (!(step instanceof Step.Charge charge)) {
                // then it ends consistently with what happened
                assertEndFits(step, attempts, maxTriesWhenUnknown);
                Statistics.label("end").collect(endOf(step));
                break;
            }
            // then every charge it asks for is allowed
            assertChargeAllowed(charge, methods, attempts, hardDeclined);
            Attempt answered = answer(charge, gateway.next());
            attempts.add(answered);
            if (answered.outcome() == Attempt.Outcome.DECLINED_HARD) {
                hardDeclined.add(answered.paymentMethodId());
            }
        }
        Statistics.label("end").coverage(coverage -> {
            coverage.check("Finish SUCCEEDED").count(count -> count > 0);
            coverage.check("Finish DECLINED").count(count -> count > 0);
            coverage.check("Finish FAILED").count(count -> count > 0);
            coverage.check("Hold").count(count -> count > 0);
        });
    }

    private static void assertChargeAllowed(Step.Charge charge, List<String> methods, List<Attempt> attempts,
                                            Set<String> hardDeclined) {
        assertThat(methods).as("a method of the request").contains(charge.paymentMethodId());
        assertThat(charge.idempotencyKey()).as("the request's key for the card")
                .isEqualTo(ChargeCommand.idempotencyKey(REQUEST_ID, charge.paymentMethodId()));
        assertThat(attempts).as("no charge after a success")
                .noneMatch(a -> a.outcome() == Attempt.Outcome.SUCCEEDED);
        assertThat(hardDeclined).as("no charge of a hard-declined card").doesNotContain(charge.paymentMethodId());
        for (String other : methods) {
            if (!other.equals(charge.paymentMethodId())) {
                latestOn(other, attempts).ifPresent(latest -> assertThat(latest.unresolved())
                        .as("charging %s while %s's outcome is unknown", charge.paymentMethodId(), other)
                        .isFalse());
            }
        }
    }

    private static void assertEndFits(Step step, List<Attempt> attempts, int maxTriesWhenUnknown) {
        Optional<Attempt> success = attempts.stream().filter(a -> a.outcome() == Attempt.Outcome.SUCCEEDED)
                .findFirst();
        if (step instanceof Step.Hold hold) {
            assertThat(success).as("no hold after a success").isEmpty();
            assertThat(latestOn(hold.paymentMethodId(), attempts)).get().matches(Attempt::unresolved,
                    "the held card's outcome is unknown");
            assertThat(attempts.stream().filter(a -> a.paymentMethodId().equals(hold.paymentMethodId())))
                    .as("held only after the maximum tries").hasSize(maxTriesWhenUnknown);
            return;
        }
        Step.Finish finish = (Step.Finish) step;
        assertThat(finish.attempts()).isEqualTo(attempts);
        if (success.isPresent()) {
            assertThat(finish.status()).isEqualTo(Step.Status.SUCCEEDED);
            assertThat(finish.paymentMethodId()).isEqualTo(success.get().paymentMethodId());
            assertThat(finish.chargeId()).isEqualTo(success.get().chargeId());
        } else {
            assertThat(finish.status()).isNotEqualTo(Step.Status.SUCCEEDED);
            assertThat(attempts).as("no card left unknown").noneMatch(a -> latestOn(a.paymentMethodId(), attempts)
                    .orElseThrow().unresolved());
        }
    }

    private static Optional<Attempt> latestOn(String paymentMethodId, List<Attempt> attempts) {
        return attempts.stream().filter(a -> a.paymentMethodId().equals(paymentMethodId))
                .reduce((first, second) -> second);
    }

    private static Attempt answer(Step.Charge charge, CallOutcome outcome) {
        Attempt started = Attempt.started(charge.paymentMethodId(), charge.idempotencyKey(), 0);
        return switch (outcome) {
            case SUCCEEDED -> started.answered(GatewayAnswers.succeeded("ch_3PqProp" + charge.paymentMethodId()), 0);
            case DECLINED_HARD -> started.answered(GatewayAnswers.declinedHard("lost_card"), 0);
            case DECLINED_SOFT -> started.answered(GatewayAnswers.declinedSoft("insufficient_funds"), 0);
            case ERROR -> started.answered(GatewayAnswers.error("amount_too_small"), 0);
            case UNKNOWN -> started.answered(GatewayAnswers.unknown(), 0);
            case IN_FLIGHT -> started;
        };
    }

    private static String endOf(Step step) {
        return step instanceof Step.Finish finish ? "Finish " + finish.status() : "Hold";
    }
}
