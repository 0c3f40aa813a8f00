package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentCommandBuilder.aPaymentCommand;
import static dev.meterflow.testdata.PaymentMethodBuilder.aBankAccount;
import static dev.meterflow.testdata.PaymentMethodBuilder.aMastercard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.PaymentMethodBuilder.anAmexCard;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.TestData.ACME;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.PLAN_FEE;
import static dev.meterflow.testdata.TestData.PLAN_FEE_PRICE;
import static dev.meterflow.testdata.TestData.START;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meterflow.metering.payments.PlanFeeRules;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.testdata.AccountSettingsBuilder;
import dev.meterflow.testdata.UsageEventBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Direct charge of the plan fee (issue 10, §3): an opted-in account's plan fee is asked of the worker instead of
 * debited; charged, it leaves the balance as it is; declined, it is debited after all, never both.
 */
class PlanFeeTopologyTest {

    private static final String FEE_EVENT = "ev-plan-fee-2025-03";

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
    void shouldAskTheWorkerToChargeTheFeeToPrimaryThenBackupInsteadOfDebitingIt() {
        // given an opted-in account whose backup is a bank account, with a card of another role
        metering.publish(settingsFor(ACME).autoRechargeOff().directChargePlanFee()
                .paymentMethods(anAmexCard().other(), aBankAccount().backup(), aVisaCard().primary()));
        metering.forgetOutputs();

        // when its monthly plan fee arrives
        metering.publish(planFee());

        // then the fee is asked of the worker, and nothing is debited
        RechargeRequest request = metering.theRechargeRequest();
        assertThat(request)
                .extracting(RechargeRequest::getRequestId, RechargeRequest::getReason, RechargeRequest::getAmountCents)
                .containsExactly(PlanFeeRules.requestIdOf(ACME, FEE_EVENT), RechargeReason.PLAN_FEE_DIRECT, 4_900L);
        assertThat(request.getPaymentMethods()).extracting(PaymentMethodRef::getPaymentMethodId)
                .containsExactly("pm_card_visa", "pm_usBankAccount_success");
        assertThat(metering.ledgerEntries()).isEmpty();
        assertThat(metering.statusChanges()).isEmpty();
        assertThat(metering.meteringMetric("plan-fee-direct-total", null, null)).isEqualTo(1.0);
    }

    @Test
    void shouldRecordTheFeeAndTheMethodChargedInAZeroEntryWhenTheWorkerChargedIt() {
        // given an opted-in account with $10 of usage on its balance and its plan fee asked of the worker
        metering.publish(settingsFor(ACME).autoRechargeOff().directChargePlanFee()
                .paymentMethods(aVisaCard().primary(), aMastercard().backup()));
        metering.publish(aPaymentCommand().withCommandId("cmd-top-up").amountCents(1_000));
        metering.publish(aPaymentResult().answering(metering.theRechargeRequest()).succeeded());
        metering.publish(planFee());
        RechargeRequest request = metering.theRechargeRequest();
        metering.forgetOutputs();

        // when the backup card was charged, and the result is delivered twice
        metering.publish(aPaymentResult().answering(request).onMethod("pm_card_mastercard").succeeded()
                .at(START.plusSeconds(120)));
        metering.publish(aPaymentResult().answering(request).onMethod("pm_card_mastercard").succeeded()
                .at(START.plusSeconds(120)));

        // then one entry, of zero, naming the fee and the card; the balance is still $10
        assertThat(metering.ledgerEntries()).singleElement()
                .extracting(LedgerEntry::getEntryId, LedgerEntry::getKind, LedgerEntry::getAmountMicros,
                        LedgerEntry::getBalanceAfterMicros, LedgerEntry::getChargedAmountMicros,
                        LedgerEntry::getPaymentMethodId, LedgerEntry::getSku, LedgerEntry::getSourceId)
                .containsExactly("usage:" + FEE_EVENT, LedgerEntryKind.PLAN_FEE_DIRECT, 0L, dollars(10),
                        PLAN_FEE_PRICE, "pm_card_mastercard", PLAN_FEE, FEE_EVENT);
        assertThat(metering.balances()).isEmpty();
        assertThat(metering.unmatchedPayments()).isEmpty();
        assertThat(metering.rechargeRequests()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = PaymentStatus.class, names = {"DECLINED", "FAILED"})
    void shouldDebitTheFeeFromTheBalanceUnderTheUsageEntryIdWhenNoMethodCouldBeCharged(PaymentStatus status) {
        // given an opted-in account with a zero balance and its plan fee asked of the worker
        metering.publish(settingsFor(ACME).autoRechargeOff().directChargePlanFee());
        metering.publish(planFee());
        RechargeRequest request = metering.theRechargeRequest();
        metering.forgetOutputs();

        // when every method was declined, or none could be charged
        metering.publish(aPaymentResult().answering(request).withStatus(status).at(START.plusSeconds(120)));

        // then the fee is debited as the usage it is, and the account pauses like after any debit
        assertThat(metering.ledgerEntries()).singleElement()
                .extracting(LedgerEntry::getEntryId, LedgerEntry::getKind, LedgerEntry::getAmountMicros,
                        LedgerEntry::getBalanceAfterMicros, LedgerEntry::getSourceId, LedgerEntry::getSku)
                .containsExactly("usage:" + FEE_EVENT, LedgerEntryKind.USAGE, -PLAN_FEE_PRICE, -PLAN_FEE_PRICE,
                        FEE_EVENT, PLAN_FEE);
        assertThat(metering.statusChanges()).extracting(AccountStatusChanged::getStatus)
                .containsExactly(AccountStatus.PAUSED);
        assertThat(metering.latestBalances().get(ACME).getBalanceMicros()).isEqualTo(-PLAN_FEE_PRICE);
    }

    @Test
    void shouldDebitThePlanFeeAsAnyUsageForAnAccountNotOptedIn() {
        // given
        metering.publish(settingsFor(ACME).autoRechargeOff());
        metering.forgetOutputs();

        // when
        metering.publish(planFee());

        // then
        assertThat(metering.rechargeRequests()).isEmpty();
        assertThat(metering.ledgerEntries()).singleElement()
                .extracting(LedgerEntry::getKind, LedgerEntry::getAmountMicros)
                .containsExactly(LedgerEntryKind.USAGE, -PLAN_FEE_PRICE);
    }

    @Test
    void shouldAskOnceForAPlanFeeEventDeliveredAgain() {
        // given
        metering.publish(settingsFor(ACME).autoRechargeOff().directChargePlanFee());
        metering.forgetOutputs();

        // when the fee event is delivered twice, once after its request was answered
        UsageEvent fee = metering.publish(planFee());
        RechargeRequest request = metering.theRechargeRequest();
        metering.publish(aPaymentResult().answering(request).succeeded().at(START.plusSeconds(120)));
        metering.publish(fee);

        // then one request and one entry
        assertThat(metering.rechargeRequests()).isEmpty();
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId)
                .containsExactly("usage:" + FEE_EVENT);
        assertThat(metering.meteringMetric("usage-duplicate-total", null, null)).isEqualTo(1.0);
    }

    @Test
    void shouldNeitherBlockNorWaitForAnAutomaticRechargeOrAOneTimePayment() {
        // given an automatic recharge in flight (the opening balance of zero is under the $15 threshold)
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)).directChargePlanFee());
        RechargeRequest automatic = metering.theRechargeRequest();

        // when the plan fee arrives, then a one-time payment, and all three are answered
        metering.publish(planFee());
        RechargeRequest fee = metering.theRechargeRequest();
        metering.publish(aPaymentCommand().withCommandId("cmd-1").amountCents(2_000).at(START.plusSeconds(90)));
        RechargeRequest payment = metering.theRechargeRequest();
        metering.forgetOutputs();
        metering.publish(aPaymentResult().answering(fee).succeeded().at(START.plusSeconds(100)));
        metering.publish(aPaymentResult().answering(automatic).succeeded().at(START.plusSeconds(110)));
        metering.publish(aPaymentResult().answering(payment).succeeded().at(START.plusSeconds(120)));

        // then each is applied for what it is
        assertThat(List.of(automatic.getReason(), fee.getReason(), payment.getReason())).containsExactly(
                RechargeReason.AUTO_RECHARGE, RechargeReason.PLAN_FEE_DIRECT, RechargeReason.ONE_TIME_PAYMENT);
        assertThat(metering.ledgerEntries())
                .extracting(LedgerEntry::getKind, LedgerEntry::getAmountMicros, LedgerEntry::getBalanceAfterMicros)
                .containsExactly(
                        tuple(LedgerEntryKind.PLAN_FEE_DIRECT, 0L, 0L),
                        tuple(LedgerEntryKind.RECHARGE, dollars(50), dollars(50)),
                        tuple(LedgerEntryKind.PAYMENT, dollars(20), dollars(70)));
        assertThat(metering.unmatchedPayments()).isEmpty();
    }

    @Test
    void shouldDebitUsageOfAnotherCategoryForAnOptedInAccount() {
        // given
        metering.publish(settingsFor(ACME).autoRechargeOff().directChargePlanFee());
        metering.forgetOutputs();

        // when a tracking number's monthly price arrives
        metering.publish(aUsageEvent().sku(LOCAL_NUMBER).quantity(1).at(START.plusSeconds(60)));

        // then it is debited: only a PLAN_FEE sku is charged directly
        assertThat(metering.rechargeRequests()).isEmpty();
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getKind).containsExactly(LedgerEntryKind.USAGE);
    }

    @Test
    void shouldAskForTheSameRequestAfterACrashSoThatTheWorkersResultStillApplies(@TempDir Path replayStateDir) {
        // given an opted-in account whose plan fee was asked of the worker, and a crash before the topology
        // committed: its state and request are rolled back, and the worker may still answer the request it read
        AccountSettingsBuilder settings = settingsFor(ACME).autoRechargeOff().directChargePlanFee();
        metering.publish(settings);
        UsageEvent fee = metering.publish(planFee());
        RechargeRequest beforeTheCrash = metering.theRechargeRequest();
        metering.close();

        // when the inputs are processed again from the last commit, and the result of the first request arrives
        metering = MeteringDriver.start(replayStateDir);
        metering.publish(settings);
        metering.publish(fee);
        RechargeRequest afterTheCrash = metering.theRechargeRequest();
        metering.publish(aPaymentResult().answering(beforeTheCrash).declined().at(START.plusSeconds(120)));
        metering.publish(fee);

        // then it is the same request, its decline debits the fee once, and the replayed event asks nothing more
        assertThat(afterTheCrash).isEqualTo(beforeTheCrash);
        assertThat(metering.rechargeRequests()).isEmpty();
        assertThat(metering.unmatchedPayments()).isEmpty();
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId, LedgerEntry::getAmountMicros)
                .containsExactly(tuple("usage:" + FEE_EVENT, -PLAN_FEE_PRICE));
    }

    private static UsageEventBuilder planFee() {
        return aUsageEvent().withEventId(FEE_EVENT).sku(PLAN_FEE).quantity(1).at(START.plusSeconds(60));
    }
}
