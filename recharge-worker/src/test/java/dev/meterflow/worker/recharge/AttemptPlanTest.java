package dev.meterflow.worker.recharge;

import static dev.meterflow.worker.testdata.Attempts.declinedHard;
import static dev.meterflow.worker.testdata.Attempts.declinedSoft;
import static dev.meterflow.worker.testdata.Attempts.failedWithError;
import static dev.meterflow.worker.testdata.Attempts.inFlight;
import static dev.meterflow.worker.testdata.Attempts.key;
import static dev.meterflow.worker.testdata.Attempts.succeeded;
import static dev.meterflow.worker.testdata.Attempts.unknown;
import static dev.meterflow.testdata.TestData.AMEX;
import static dev.meterflow.testdata.TestData.MASTERCARD;
import static dev.meterflow.testdata.TestData.NOW;
import static dev.meterflow.testdata.TestData.REQUEST_ID;
import static dev.meterflow.testdata.TestData.VISA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meterflow.worker.gateway.ChargeCommand;
import dev.meterflow.worker.testdata.Attempts.GatewayAnswers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 * unknown outcome keeps the same card and key until it is settled or held; a hard decline is final; a card at
 * its soft-decline retry limit is passed over for a new charge (issue 6 item 9).
 */
class AttemptPlanTest {

    private static final int MAX_TRIES_WHEN_UNKNOWN = 3;
    private static final List<String> PRIMARY_THEN_BACKUP = List.of(VISA, MASTERCARD);
    private static final CardHistory NOTHING_BEFORE = new CardHistory(Set.of(), Map.of());
    private static final int MAX_SOFT_DECLINES_PER_DAY = 4;
    private static final int MAX_SOFT_DECLINES_PER_30_DAYS = 15;
    private static final long NOW_MILLIS = NOW.toEpochMilli();

    private final AttemptPlan plan = new AttemptPlan(MAX_TRIES_WHEN_UNKNOWN,
            new SoftDeclineLimits(MAX_SOFT_DECLINES_PER_DAY, MAX_SOFT_DECLINES_PER_30_DAYS));

    @Test
    void shouldChargeThePrimaryFirstWithTheRequestsKeyForThatCard() {
        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, List.of(), NOTHING_BEFORE, NOW_MILLIS);

        // then
        assertThat(step).isEqualTo(new Step.Charge(VISA, "meterflow/" + REQUEST_ID + "/" + VISA));
    }

    @Test
    void shouldFinishOnThePrimaryWhenThePrimarySucceeds() {
        // given
        List<Attempt> attempts = List.of(succeeded(VISA, "ch_3PqAcme0001"));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_BEFORE, NOW_MILLIS);

        // then
        assertThat(step).isEqualTo(new Step.Finish(Step.Status.SUCCEEDED, VISA, "ch_3PqAcme0001", attempts));
    }

    @Test
    void shouldChargeTheBackupWhenThePrimaryIsSoftDeclined() {
        // given
        List<Attempt> attempts = List.of(declinedSoft(VISA, "insufficient_funds"));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_BEFORE, NOW_MILLIS);

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
        Step afterPrimary = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, primaryStolen, hardDeclined(VISA),
                NOW_MILLIS);
        Step whileBackupUnknown = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, thenBackupDown, hardDeclined(VISA),
                NOW_MILLIS);
        Step afterBackup = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, thenBackupFails, hardDeclined(VISA),
                NOW_MILLIS);

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
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, hardDeclined(MASTERCARD), NOW_MILLIS);

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
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_BEFORE, NOW_MILLIS);

        // then
        assertThat(step).isEqualTo(new Step.Charge(VISA, attempts.get(0).idempotencyKey()));
    }

    @Test
    void shouldHoldOnThePrimaryWhenItsOutcomeStaysUnknownAfterTheMaximumTries() {
        // given
        List<Attempt> oneTryShort = List.of(unknown(VISA), unknown(VISA));
        List<Attempt> maxTries = List.of(unknown(VISA), unknown(VISA), unknown(VISA));

        // when
        Step beforeTheLimit = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, oneTryShort, NOTHING_BEFORE, NOW_MILLIS);
        Step atTheLimit = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, maxTries, NOTHING_BEFORE, NOW_MILLIS);

        // then
        assertThat(beforeTheLimit).isEqualTo(new Step.Charge(VISA, key(VISA)));
        assertThat(atTheLimit).isEqualTo(new Step.Hold(VISA, key(VISA)));
    }

    @Test
    void shouldCallAgainWithTheSameKeyWhenAnAttemptWasLeftInFlightByACrash() {
        // given the worker recorded the attempt, then died before the gateway answered
        List<Attempt> attempts = List.of(inFlight(VISA));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_BEFORE, NOW_MILLIS);

        // then
        assertThat(step).isEqualTo(new Step.Charge(VISA, attempts.get(0).idempotencyKey()));
    }

    @Test
    void shouldCountAnInFlightAttemptAsAnUnknownTry() {
        // given
        List<Attempt> attempts = List.of(inFlight(VISA), unknown(VISA), unknown(VISA));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_BEFORE, NOW_MILLIS);

        // then
        assertThat(step).isEqualTo(new Step.Hold(VISA, key(VISA)));
    }

    @Test
    void shouldMoveToTheBackupOnceAnUnknownPrimaryTurnsOutDeclined() {
        // given
        List<Attempt> attempts = List.of(unknown(VISA), declinedSoft(VISA, "insufficient_funds"));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_BEFORE, NOW_MILLIS);

        // then
        assertThat(step).isEqualTo(new Step.Charge(MASTERCARD, key(MASTERCARD)));
    }

    @Test
    void shouldSkipACardHardDeclinedForAnEarlierRequest() {
        // given the primary was reported stolen while charging an earlier request
        CardHistory hardDeclinedBefore = hardDeclined(VISA);

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, List.of(), hardDeclinedBefore, NOW_MILLIS);

        // then
        assertThat(step).isEqualTo(new Step.Charge(MASTERCARD, key(MASTERCARD)));
    }

    @Test
    void shouldFinishDeclinedWithoutACallWhenEveryCardWasHardDeclinedBefore() {
        // given
        CardHistory hardDeclinedBefore = hardDeclined(VISA, MASTERCARD, AMEX);

        // when
        Step step = plan.next(REQUEST_ID, List.of(VISA, MASTERCARD, AMEX), List.of(), hardDeclinedBefore, NOW_MILLIS);

        // then
        assertThat(step).isEqualTo(new Step.Finish(Step.Status.DECLINED, null, null, List.of()));
    }

    @Test
    void shouldFinishFailedWhenEveryCardAnswersWithAnError() {
        // given nothing was declined: the gateway refused the request itself on each card
        List<Attempt> attempts = List.of(failedWithError(VISA), failedWithError(MASTERCARD));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_BEFORE, NOW_MILLIS);

        // then
        assertThat(step).isEqualTo(new Step.Finish(Step.Status.FAILED, null, null, attempts));
    }

    @Test
    void shouldFinishDeclinedWhenOneCardIsDeclinedAndTheOtherAnswersWithAnError() {
        // given
        List<Attempt> attempts = List.of(declinedSoft(VISA, "insufficient_funds"), failedWithError(MASTERCARD));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, NOTHING_BEFORE, NOW_MILLIS);

        // then
        assertThat(step).isEqualTo(new Step.Finish(Step.Status.DECLINED, null, null, attempts));
    }

    // issue 6 item 9: soft declines stay within the card networks' retry limits, across requests

    @Test
    void shouldPassOverAPrimaryThatReachedItsDailySoftDeclineLimitAndChargeTheBackup() {
        // given the primary was soft-declined four times in the last 24 hours, by earlier requests
        CardHistory history = softDeclined(VISA, hoursAgo(1, 6, 12, 23));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, List.of(), history, NOW_MILLIS);

        // then
        assertThat(step).isEqualTo(new Step.Charge(MASTERCARD, key(MASTERCARD),
                List.of(new Step.PassedOver(VISA, 4, 4))));
    }

    @Test
    void shouldChargeThePrimaryOneSoftDeclineShortOfItsDailyLimit() {
        // given
        CardHistory history = softDeclined(VISA, hoursAgo(1, 6, 12));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, List.of(), history, NOW_MILLIS);

        // then
        assertThat(step).isEqualTo(new Step.Charge(VISA, key(VISA)));
    }

    @Test
    void shouldChargeThePrimaryAgainOnceItsOldestSoftDeclineIsTwentyFourHoursOld() {
        // given four soft declines, the oldest exactly 24 hours before now
        CardHistory history = softDeclined(VISA, hoursAgo(24, 6, 12, 23));

        // when
        Step aMillisecondEarlier = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, List.of(), history, NOW_MILLIS - 1);
        Step now = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, List.of(), history, NOW_MILLIS);

        // then
        assertThat(aMillisecondEarlier).isEqualTo(new Step.Charge(MASTERCARD, key(MASTERCARD),
                List.of(new Step.PassedOver(VISA, 4, 4))));
        assertThat(now).isEqualTo(new Step.Charge(VISA, key(VISA)));
    }

    @Test
    void shouldPassOverAPrimaryThatReachedItsThirtyDaySoftDeclineLimitUntilTheOldestIsThirtyDaysOld() {
        // given fifteen soft declines spread over the last 29 days, none in the last 24 hours
        CardHistory history = softDeclined(VISA, daysAgo(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29));
        CardHistory oneFewer = softDeclined(VISA, daysAgo(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27));
        long whenTheOldestIsThirtyDaysOld = NOW_MILLIS + Duration.ofDays(1).toMillis();

        // when
        Step atTheLimit = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, List.of(), history, NOW_MILLIS);
        Step oneShort = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, List.of(), oneFewer, NOW_MILLIS);
        Step rolled = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, List.of(), history, whenTheOldestIsThirtyDaysOld);

        // then
        assertThat(atTheLimit).isEqualTo(new Step.Charge(MASTERCARD, key(MASTERCARD),
                List.of(new Step.PassedOver(VISA, 0, 15))));
        assertThat(oneShort).isEqualTo(new Step.Charge(VISA, key(VISA)));
        assertThat(rolled).isEqualTo(new Step.Charge(VISA, key(VISA)));
    }

    @Test
    void shouldNotChargeAPassedOverPrimaryAroundAnUnknownBackupOnceThePrimarysWindowRolls() {
        // given the primary was passed over at its daily limit, then the backup's call came back unknown
        CardHistory history = softDeclined(VISA, hoursAgo(20, 21, 22, 23));
        List<Attempt> backupUnknown = List.of(unknown(MASTERCARD));
        long whenTheOldestDeclineIsADayOld = NOW_MILLIS + Duration.ofHours(1).toMillis();

        // when the request is looked at again after the primary's oldest decline left the 24-hour window
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, backupUnknown, history, whenTheOldestDeclineIsADayOld);

        // then the backup is called again with its key: no other card is charged while its outcome is unknown
        assertThat(step).isEqualTo(new Step.Charge(MASTERCARD, key(MASTERCARD),
                List.of(new Step.PassedOver(VISA, 3, 4))));
    }

    @Test
    void shouldRetryACardWhoseOutcomeOnThisRequestIsUnknownEvenAtItsSoftDeclineLimit() {
        // given the primary reached its daily limit (through other requests) while this request's call was open
        CardHistory history = softDeclined(VISA, hoursAgo(1, 2, 3, 4));
        List<Attempt> unknownOnce = List.of(unknown(VISA));
        List<Attempt> leftInFlight = List.of(inFlight(VISA));
        List<Attempt> unknownToTheMax = List.of(unknown(VISA), unknown(VISA), unknown(VISA));

        // when
        Step afterUnknown = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, unknownOnce, history, NOW_MILLIS);
        Step afterCrash = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, leftInFlight, history, NOW_MILLIS);
        Step afterMaxTries = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, unknownToTheMax, history, NOW_MILLIS);

        // then the same card and key, never the backup: a retry with the key is not a new attempt at the network
        assertThat(afterUnknown).isEqualTo(new Step.Charge(VISA, key(VISA)));
        assertThat(afterCrash).isEqualTo(new Step.Charge(VISA, key(VISA)));
        assertThat(afterMaxTries).isEqualTo(new Step.Hold(VISA, key(VISA)));
    }

    @Test
    void shouldStillSkipAHardDeclinedCardAndFinishDeclinedWhenTheOtherIsAtItsLimit() {
        // given the primary was hard-declined once, and the backup soft-declined four times today
        CardHistory history = new CardHistory(Set.of(VISA), Map.of(MASTERCARD, atMillis(hoursAgo(1, 2, 3, 4))));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, List.of(), history, NOW_MILLIS);

        // then nothing is charged, and only the backup is reported passed over at its limit
        assertThat(step).isEqualTo(new Step.Finish(Step.Status.DECLINED, null, null, List.of(),
                List.of(new Step.PassedOver(MASTERCARD, 4, 4))));
    }

    @Test
    void shouldFinishDeclinedWithThePrimarysDeclineWhenTheBackupIsAtItsLimit() {
        // given the primary was just soft-declined for this request, the backup is at its daily limit
        List<Attempt> attempts = List.of(declinedSoft(VISA, "insufficient_funds"));
        CardHistory history = softDeclined(MASTERCARD, hoursAgo(1, 2, 3, 4));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, attempts, history, NOW_MILLIS);

        // then the primary is not tried again within the request, whatever its count
        assertThat(step).isEqualTo(new Step.Finish(Step.Status.DECLINED, null, null, attempts,
                List.of(new Step.PassedOver(MASTERCARD, 4, 4))));
    }

    @Test
    void shouldNotCountSoftDeclinesOfAnotherCard() {
        // given
        CardHistory history = softDeclined(MASTERCARD, hoursAgo(1, 2, 3, 4, 5));

        // when
        Step step = plan.next(REQUEST_ID, PRIMARY_THEN_BACKUP, List.of(), history, NOW_MILLIS);

        // then
        assertThat(step).isEqualTo(new Step.Charge(VISA, key(VISA)));
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
        // no card was soft-declined before, so the retry limits play no part here
        AttemptPlan policy = new AttemptPlan(maxTriesWhenUnknown,
                new SoftDeclineLimits(MAX_SOFT_DECLINES_PER_DAY, MAX_SOFT_DECLINES_PER_30_DAYS));
        int stepLimit = methodCount * maxTriesWhenUnknown + methodCount;
        Iterator<CallOutcome> gateway = gatewayAnswers.iterator();
        List<Attempt> attempts = new ArrayList<>();

        // when the plan's every charge is answered with the next answer, until it stops
        for (int steps = 1; ; steps++) {
            assertThat(steps).as("steps before a Finish or a Hold").isLessThanOrEqualTo(stepLimit);
            Step step = policy.next(REQUEST_ID, methods, attempts, new CardHistory(hardDeclined, Map.of()),
                    NOW_MILLIS);
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

    private static CardHistory hardDeclined(String... paymentMethodIds) {
        return new CardHistory(Set.of(paymentMethodIds), Map.of());
    }

    private static CardHistory softDeclined(String paymentMethodId, Duration... ago) {
        return new CardHistory(Set.of(), Map.of(paymentMethodId, atMillis(ago)));
    }

    private static List<Long> atMillis(Duration... ago) {
        return Arrays.stream(ago).map(before -> NOW_MILLIS - before.toMillis()).toList();
    }

    private static Duration[] hoursAgo(long... hours) {
        return Arrays.stream(hours).mapToObj(Duration::ofHours).toArray(Duration[]::new);
    }

    private static Duration[] daysAgo(long... days) {
        return Arrays.stream(days).mapToObj(Duration::ofDays).toArray(Duration[]::new);
    }
}
