package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentMethodBuilder.aBankAccount;
import static dev.meterflow.testdata.PaymentMethodBuilder.aDinersCard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aMastercard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aPayPalAccount;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.PaymentMethodBuilder.anAmexCard;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.TestData.ACME;
import static dev.meterflow.testdata.TestData.CALLER_ID_LOOKUP;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.SOFTWARE_FEE;
import static dev.meterflow.testdata.TestData.START;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.testdata.AccountSettingsBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Auto-recharge (billing rules: "when the balance falls below the threshold, charge the card to bring it back
 * up to the target; also support a fixed recharge amount; one charge in flight per account").
 */
class AutoRechargeTopologyTest {

    private static final Duration DECLINE_BACKOFF = Duration.ofHours(24);

    @TempDir
    Path stateDir;

    private MeteringDriver metering;

    @BeforeEach
    void startTopology() {
        metering = MeteringDriver.start(stateDir);
    }

    @AfterEach
    void stopTopology() {
        metering.close();
    }

    @Test
    void shouldRequestOneRechargeWhenTheBalanceFallsBelowTheThreshold() {
        // given $50 on the balance, recharged up to $50 whenever it falls below $15
        givenRechargedOnce(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));

        // when 12 tracking numbers ($3 each) are billed: the balance falls to $14
        Instant billedAt = START.plusSeconds(600);
        metering.publish(aUsageEvent().withEventId("numbers-2025-03").sku(LOCAL_NUMBER).quantity(12).at(billedAt));

        // then
        RechargeRequest request = metering.theRechargeRequest();
        assertThat(request)
                .extracting(RechargeRequest::getAccountId, RechargeRequest::getReason, RechargeRequest::getCurrency,
                        RechargeRequest::getAmountCents, RechargeRequest::getBalanceMicros,
                        RechargeRequest::getThresholdMicros, RechargeRequest::getTargetMicros,
                        RechargeRequest::getRequestedAt)
                .containsExactly(ACME, RechargeReason.AUTO_RECHARGE, "USD", 3600L, dollars(14), dollars(15),
                        dollars(50), billedAt);
        assertThat(metering.latestBalances().get(ACME).getPendingRechargeId()).isEqualTo(request.getRequestId());
    }

    @Test
    void shouldTopUpToTheTargetInWholeCentsRoundedUp() {
        // given $50 on the balance, recharged up to $50 below $15
        givenRechargedOnce(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));

        // when the $35 software fee leaves exactly $15 (not below), and a 1.5-cent caller-ID lookup $14.985
        metering.publish(aUsageEvent().sku(SOFTWARE_FEE).quantity(1).at(START.plusSeconds(600)));
        List<RechargeRequest> atExactlyTheThreshold = metering.rechargeRequests();
        metering.publish(aUsageEvent().sku(CALLER_ID_LOOKUP).quantity(1).at(START.plusSeconds(660)));

        // then the card is asked for $35.015, rounded up to 3502 cents, never down
        assertThat(atExactlyTheThreshold).isEmpty();
        RechargeRequest request = metering.theRechargeRequest();
        assertThat(request.getBalanceMicros()).isEqualTo(14_985_000L);
        assertThat(request.getAmountCents()).isEqualTo(3502L);
    }

    @Test
    void shouldRechargeTheFixedAmountInWholeCentsWhateverTheBalance() {
        // given $25 on the balance, recharged by a fixed $25 below $15
        givenRechargedOnce(settingsFor(ACME).rechargeFixed(dollars(25)).whenBelow(dollars(15)));

        // when the balance falls to $1
        metering.publish(aUsageEvent().sku(LOCAL_NUMBER).quantity(8).at(START.plusSeconds(600)));

        // then
        RechargeRequest request = metering.theRechargeRequest();
        assertThat(request.getBalanceMicros()).isEqualTo(dollars(1));
        assertThat(request.getAmountCents()).isEqualTo(2500L);
    }

    @Test
    void shouldOfferPaymentMethodsPrimaryThenBackupThenOthersButNeverPayPalDinersOrABankAccount() {
        // given an account whose methods are stored in no particular order
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)).paymentMethods(
                aMastercard().other(),
                aPayPalAccount().primary(),
                anAmexCard().backup(),
                aDinersCard().backup(),
                aVisaCard().primary(),
                aBankAccount().other()));

        // when its opening balance of zero asks for a recharge
        RechargeRequest request = metering.theRechargeRequest();

        // then
        assertThat(request.getPaymentMethods())
                .extracting(PaymentMethodRef::getPaymentMethodId, PaymentMethodRef::getRole)
                .containsExactly(
                        tuple("pm_card_visa", PaymentMethodRole.PRIMARY),
                        tuple("pm_card_amex", PaymentMethodRole.BACKUP),
                        tuple("pm_card_mastercard", PaymentMethodRole.OTHER));
        // the contract's invariant 3: ACH methods are never offered to automatic recharges
        assertThat(request.getPaymentMethods()).extracting(PaymentMethodRef::getBrand)
                .doesNotContain("paypal", "diners", "bank");
    }

    @Test
    void shouldRequestAtOnceWhenANewAccountTurnsAutoRechargeOn() {
        // given nothing about ACME yet: its balance is zero

        // when its first settings turn auto-recharge on with a $15 threshold
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));

        // then
        RechargeRequest request = metering.theRechargeRequest();
        assertThat(request.getBalanceMicros()).isZero();
        assertThat(request.getAmountCents()).isEqualTo(5000L);
    }

    @Test
    void shouldRequestAtOnceWhenSettingsEnableAutoRechargeBelowTheThreshold() {
        // given an account without auto-recharge, under its $15 threshold
        metering.publish(settingsFor(ACME).autoRechargeOff().whenBelow(dollars(15)));
        metering.publish(aUsageEvent().sku(LOCAL_MINUTES).minutes(4).at(START.plusSeconds(60)));
        assertThat(metering.rechargeRequests()).isEmpty();

        // when the admin turns auto-recharge on
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)).at(START.plusSeconds(600)));

        // then the card is asked at once for the way back up from -$0.10
        RechargeRequest request = metering.theRechargeRequest();
        assertThat(request.getBalanceMicros()).isEqualTo(-100_000L);
        assertThat(request.getAmountCents()).isEqualTo(5010L);
    }

    @Test
    void shouldRequestAtOnceWhenTheThresholdIsRaisedAboveTheBalance() {
        // given $15 on the balance, with a $15 threshold (not below it)
        givenRechargedOnce(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        metering.publish(aUsageEvent().sku(SOFTWARE_FEE).quantity(1).at(START.plusSeconds(600)));
        assertThat(metering.rechargeRequests()).isEmpty();

        // when the admin raises the threshold to $20
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(20)).at(START.plusSeconds(900)));

        // then
        RechargeRequest request = metering.theRechargeRequest();
        assertThat(request.getThresholdMicros()).isEqualTo(dollars(20));
        assertThat(request.getAmountCents()).isEqualTo(3500L);
    }

    @Test
    void shouldKeepAtMostOneRechargeInFlight() {
        // given a recharge already requested
        givenRechargedOnce(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        metering.publish(aUsageEvent().sku(LOCAL_NUMBER).quantity(12).at(START.plusSeconds(600)));
        RechargeRequest inFlight = metering.theRechargeRequest();
        metering.forgetOutputs();

        // when more usage arrives before the worker answers
        for (int call = 1; call <= 5; call++) {
            metering.publish(aUsageEvent().sku(LOCAL_MINUTES).minutes(30).at(START.plusSeconds(600 + 60L * call)));
        }

        // then no second request, and the balance still names the one in flight
        assertThat(metering.rechargeRequests()).isEmpty();
        assertThat(metering.balances()).hasSize(5)
                .extracting(AccountBalance::getPendingRechargeId).containsOnly(inFlight.getRequestId());
    }

    @Test
    void shouldCreditASucceededRechargeOnceEvenIfTheResultIsDeliveredAgain() {
        // given a recharge of $50 in flight
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest request = metering.theRechargeRequest();

        // when the worker's SUCCEEDED result arrives, and is delivered again
        var succeeded = aPaymentResult().answering(request).succeeded().at(START.plusSeconds(5));
        metering.publish(succeeded);
        metering.publish(succeeded);

        // then
        assertThat(metering.ledgerEntries())
                .extracting(LedgerEntry::getEntryId, LedgerEntry::getKind, LedgerEntry::getSourceId,
                        LedgerEntry::getAmountMicros, LedgerEntry::getBalanceAfterMicros)
                .containsExactly(tuple("recharge:" + request.getRequestId(), LedgerEntryKind.RECHARGE,
                        request.getRequestId(), dollars(50), dollars(50)));
        AccountBalance balance = metering.latestBalances().get(ACME);
        assertThat(balance.getBalanceMicros()).isEqualTo(dollars(50));
        assertThat(balance.getPendingRechargeId()).isNull();
        assertThat(metering.rechargeRequests()).isEmpty();
    }

    @Test
    void shouldAskForTheNextRechargeWhenACreditLeavesTheBalanceUnderTheThreshold() {
        // given a fixed $10 recharge below $15, requested for the opening balance of zero
        metering.publish(settingsFor(ACME).rechargeFixed(dollars(10)).whenBelow(dollars(15)));
        RechargeRequest first = metering.theRechargeRequest();

        // when it succeeds: $10 is still under $15
        metering.publish(aPaymentResult().answering(first).succeeded().at(START.plusSeconds(5)));

        // then one next request, not many
        RechargeRequest next = metering.theRechargeRequest();
        assertThat(next.getRequestId()).isNotEqualTo(first.getRequestId());
        assertThat(next.getBalanceMicros()).isEqualTo(dollars(10));
        assertThat(next.getAmountCents()).isEqualTo(1000L);
        assertThat(metering.latestBalances().get(ACME).getPendingRechargeId()).isEqualTo(next.getRequestId());

        // and once that one brings the balance to $20, no more
        metering.publish(aPaymentResult().answering(next).succeeded().at(START.plusSeconds(10)));
        assertThat(metering.rechargeRequests()).isEmpty();
        assertThat(metering.latestBalances().get(ACME).getBalanceMicros()).isEqualTo(dollars(20));
    }

    @ParameterizedTest
    @EnumSource(value = PaymentStatus.class, names = {"DECLINED", "FAILED"})
    void shouldClearThePendingRechargeWhenThePaymentDoesNotSucceed(PaymentStatus status) {
        // given a recharge in flight
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest request = metering.theRechargeRequest();
        metering.forgetOutputs();

        // when the worker reports it declined or failed
        metering.publish(aPaymentResult().answering(request).withStatus(status).at(START.plusSeconds(5)));

        // then nothing is credited, nothing is pending, and no new request follows at once
        assertThat(metering.balances()).singleElement()
                .satisfies(balance -> assertThat(balance.getPendingRechargeId()).isNull())
                .satisfies(balance -> assertThat(balance.getBalanceMicros()).isZero());
        assertThat(metering.ledgerEntries()).isEmpty();
        assertThat(metering.rechargeRequests()).isEmpty();
    }

    @Test
    void shouldNotRequestAgainUntilTheDeclineBackoffHasPassed() {
        // given a recharge declined at 14:01
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest declined = metering.theRechargeRequest();
        Instant declinedAt = START.plusSeconds(60);
        metering.publish(aPaymentResult().answering(declined).declined().at(declinedAt));

        // when usage keeps arriving during the next 24 hours
        metering.publish(aUsageEvent().minutes(2).at(declinedAt.plus(Duration.ofHours(1))));
        metering.publish(aUsageEvent().minutes(2).at(declinedAt.plus(DECLINE_BACKOFF).minusSeconds(1)));
        List<RechargeRequest> duringBackoff = metering.rechargeRequests();
        // and once 24 hours have passed
        metering.publish(aUsageEvent().minutes(2).at(declinedAt.plus(DECLINE_BACKOFF)));

        // then
        assertThat(duringBackoff).isEmpty();
        RechargeRequest retry = metering.theRechargeRequest();
        assertThat(retry.getRequestId()).isNotEqualTo(declined.getRequestId());
        assertThat(retry.getBalanceMicros()).isEqualTo(-150_000L);
    }

    @Test
    void shouldRequestAgainWhenTheBackoffPassesEvenIfNoRecordArrives() {
        // given a recharge declined, and a paused account that sends no more usage
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest declined = metering.theRechargeRequest();
        metering.publish(aPaymentResult().answering(declined).declined().at(START));

        // when the wall clock passes the back-off
        metering.advanceWallClock(DECLINE_BACKOFF.minusMinutes(5));
        List<RechargeRequest> before = metering.rechargeRequests();
        metering.advanceWallClock(Duration.ofMinutes(10));

        // then the next request is asked for by itself
        assertThat(before).isEmpty();
        RechargeRequest retry = metering.theRechargeRequest();
        assertThat(retry.getRequestId()).isNotEqualTo(declined.getRequestId());
    }

    @Test
    void shouldNotOfferADeclinedCardAgainWithinTheBackoffWhenABackupIsAdded() {
        // given a recharge on the Visa declined
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest declined = metering.theRechargeRequest();
        metering.publish(aPaymentResult().answering(declined).declined().at(START.plusSeconds(60)));

        // when the admin adds a Mastercard as backup, keeping the Visa as primary
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15))
                .paymentMethods(aVisaCard().primary(), aMastercard().backup()).at(START.plusSeconds(120)));

        // then only the Mastercard is asked, at once: the Visa declined two minutes ago
        RechargeRequest retry = metering.theRechargeRequest();
        assertThat(retry.getPaymentMethods()).extracting(PaymentMethodRef::getPaymentMethodId)
                .containsExactly("pm_card_mastercard");
    }

    @Test
    void shouldRequestAtOnceWhenPaymentMethodsChangeDuringTheBackoff() {
        // given a recharge on the Visa declined
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest declined = metering.theRechargeRequest();
        metering.publish(aPaymentResult().answering(declined).declined().at(START.plusSeconds(60)));

        // when the admin first edits something else, then adds a Mastercard as the new primary
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15))
                .billingEmails("billing@acme-plumbing.example", "owner@acme-plumbing.example")
                .at(START.plusSeconds(3600)));
        List<RechargeRequest> sameMethods = metering.rechargeRequests();
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15))
                .paymentMethods(aMastercard().primary(), aVisaCard().backup())
                .at(START.plusSeconds(7200)));

        // then the new card is asked at once; the Visa, declined an hour ago, is not offered until its back-off passes
        assertThat(sameMethods).isEmpty();
        RechargeRequest retry = metering.theRechargeRequest();
        assertThat(retry.getPaymentMethods()).extracting(PaymentMethodRef::getPaymentMethodId)
                .containsExactly("pm_card_mastercard");
    }

    @Test
    void shouldTryCardsAddedWhileAChargeWasInFlightAtOnceWhenItDeclines() {
        // given a recharge asked of the Visa
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest inFlight = metering.theRechargeRequest();
        // and, while it is being charged, the admin replaces the Visa with a Mastercard
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15))
                .paymentMethods(aMastercard().primary()).at(START.plusSeconds(30)));

        // when the Visa declines
        metering.publish(aPaymentResult().answering(inFlight).declined().at(START.plusSeconds(60)));

        // then the back-off covers the Visa only: the Mastercard is asked for at once
        RechargeRequest retry = metering.theRechargeRequest();
        assertThat(retry.getRequestId()).isNotEqualTo(inFlight.getRequestId());
        assertThat(retry.getPaymentMethods()).extracting(PaymentMethodRef::getPaymentMethodId)
                .containsExactly("pm_card_mastercard");
    }

    @Test
    void shouldNotifyLowBalanceOncePerCrossingWhenAutoRechargeIsOff() {
        // given $50 on the balance, then auto-recharge turned off (the $15 threshold stays)
        givenRechargedOnce(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        metering.publish(settingsFor(ACME).autoRechargeOff().whenBelow(dollars(15)).at(START.plusSeconds(60)));

        // when usage takes it to exactly $15, then below, then further below
        metering.publish(aUsageEvent().sku(SOFTWARE_FEE).quantity(1).at(START.plusSeconds(600)));
        List<BillingNotification> atTheThreshold = metering.notifications();
        metering.publish(aUsageEvent().withEventId("lookup-1").sku(CALLER_ID_LOOKUP).quantity(1)
                .at(START.plusSeconds(660)));
        List<BillingNotification> onCrossing = metering.notifications();
        metering.publish(aUsageEvent().sku(CALLER_ID_LOOKUP).quantity(1).at(START.plusSeconds(720)));
        List<BillingNotification> stillUnder = metering.notifications();

        // then one LOW_BALANCE, on the crossing only
        assertThat(atTheThreshold).isEmpty();
        assertThat(onCrossing).singleElement().satisfies(notification -> {
            assertThat(notification.getType()).isEqualTo(NotificationType.LOW_BALANCE);
            assertThat(notification.getEmailRecipients()).containsExactly("billing@acme-plumbing.example");
        });
        assertThat(stillUnder).isEmpty();
        assertThat(metering.rechargeRequests()).isEmpty();

        // and when the balance goes back above $15 (a recharge while auto-recharge is briefly on) and crosses again
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)).at(START.plusSeconds(900)));
        RechargeRequest refill = metering.theRechargeRequest();
        metering.publish(aPaymentResult().answering(refill).succeeded().at(START.plusSeconds(960)));
        metering.publish(settingsFor(ACME).autoRechargeOff().whenBelow(dollars(15)).at(START.plusSeconds(1020)));
        assertThat(metering.latestBalances().get(ACME).getBalanceMicros()).isEqualTo(dollars(50));
        metering.publish(aUsageEvent().sku(SOFTWARE_FEE).quantity(1).at(START.plusSeconds(1200)));
        metering.publish(aUsageEvent().withEventId("lookup-2").sku(CALLER_ID_LOOKUP).quantity(1)
                .at(START.plusSeconds(1260)));

        // then a second LOW_BALANCE, with its own id
        List<BillingNotification> secondCrossing = metering.notifications();
        assertThat(secondCrossing).singleElement()
                .satisfies(notification -> assertThat(notification.getType()).isEqualTo(NotificationType.LOW_BALANCE))
                .satisfies(notification -> assertThat(notification.getNotificationId())
                        .isNotEqualTo(onCrossing.get(0).getNotificationId()));
    }

    /** The account's settings, their opening recharge request, and its success: the balance is then credited. */
    @Test
    void shouldTellTheWorkerWhoToNotifyOfTheRechargesOutcome() {
        // given an account with two billing admins and a critical billing phone
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15))
                .billingEmails("billing@acme.example", "cfo@acme.example").criticalBillingPhone("+15125550142"));

        // when its opening balance ($0) asks for a recharge
        RechargeRequest request = metering.theRechargeRequest();

        // then the request carries the recipients of the receipt and of a decline notice
        assertThat(request.getBillingEmails()).containsExactly("billing@acme.example", "cfo@acme.example");
        assertThat(request.getCriticalBillingPhone()).isEqualTo("+15125550142");
    }

    @Test
    void shouldCarryEachCardsExpiryIntoTheRequestAndNeverOfferACardAlreadyExpired() {
        // issue 10 §6: on 2025-03-03, a primary valid through February 2025 and a backup through December 2030
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)).paymentMethods(
                aVisaCard().primary().expiring(2, 2025), aMastercard().backup().expiring(12, 2030)));

        // then the opening recharge offers the backup alone, with its expiry for the worker's hard-decline memory
        assertThat(metering.theRechargeRequest().getPaymentMethods())
                .extracting(PaymentMethodRef::getPaymentMethodId, PaymentMethodRef::getExpMonth,
                        PaymentMethodRef::getExpYear)
                .containsExactly(tuple("pm_card_mastercard", 12, 2030));
    }

    @Test
    void shouldSayInTheLowBalanceNoticeThatAnExpiredCardCannotBeCharged() {
        // given on 2025-03-03 automatic recharge on with one card, valid through February 2025
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15))
                .paymentMethods(aVisaCard().primary().expiring(2, 2025)));

        // then nothing is asked of the worker, and the notice names expired cards
        assertThat(metering.rechargeRequests()).isEmpty();
        assertThat(metering.notifications()).singleElement().satisfies(notice -> {
            assertThat(notice.getType()).isEqualTo(NotificationType.LOW_BALANCE);
            assertThat(notice.getAttributes()).containsEntry("reason", "NO_USABLE_PAYMENT_METHOD");
            assertThat(notice.getSummary()).contains("expired cards cannot");
        });
    }

    private void givenRechargedOnce(AccountSettingsBuilder settings) {
        metering.publish(settings);
        RechargeRequest opening = metering.theRechargeRequest();
        metering.publish(aPaymentResult().answering(opening).succeeded().at(START.plusSeconds(1)));
        metering.forgetOutputs();
    }
}
