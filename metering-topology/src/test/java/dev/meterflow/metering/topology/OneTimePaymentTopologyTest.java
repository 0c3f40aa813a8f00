package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentCommandBuilder.aPaymentCommand;
import static dev.meterflow.testdata.PaymentMethodBuilder.aBankAccount;
import static dev.meterflow.testdata.PaymentMethodBuilder.aDinersCard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aMastercard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aPayPalAccount;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.PaymentMethodBuilder.anAmexCard;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.TestData.ACME;
import static dev.meterflow.testdata.TestData.BETA;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.START;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meterflow.metering.payments.MakePayment;
import dev.meterflow.metering.payments.PaymentCommandRules;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Make a Payment (issue 10, §1): a one-time payment from the Billing Settings page is checked, asked of the
 * worker apart from automatic recharges, and credited once as a PAYMENT; a refused one says why.
 */
class OneTimePaymentTopologyTest {

    private static final String REJECTED_TOTAL = "payment-commands-rejected-total";

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
    void shouldAskTheWorkerForAOneTimePaymentWithARequestIdDerivedFromTheCommandId() {
        // given an account without automatic recharge
        metering.publish(settingsFor(ACME).autoRechargeOff());
        metering.forgetOutputs();

        // when its admin pays $25
        PaymentCommand command = metering.publish(aPaymentCommand().withCommandId("cmd-1").amountCents(2_500)
                .at(START.plusSeconds(60)));

        // then
        RechargeRequest request = metering.theRechargeRequest();
        assertThat(request)
                .extracting(RechargeRequest::getRequestId, RechargeRequest::getAccountId, RechargeRequest::getReason,
                        RechargeRequest::getAmountCents, RechargeRequest::getRequestedAt)
                .containsExactly(AvroMapping.payment(command).requestId(), ACME, RechargeReason.ONE_TIME_PAYMENT,
                        2_500L, START.plusSeconds(60));
        assertThat(request.getRequestId()).startsWith("pay-" + ACME + "-");
        assertThat(metering.rejectedPayments()).isEmpty();
    }

    @Test
    void shouldDeriveTheSameRequestIdFromTheSameCommandAndAnotherFromAnotherAccount() {
        MakePayment acme = new MakePayment("cmd-1", ACME, 2_500, null, 0);

        assertThat(acme.requestId()).isEqualTo(new MakePayment("cmd-1", ACME, 9_900, "pm_x", 5).requestId());
        assertThat(acme.requestId()).isNotEqualTo(new MakePayment("cmd-1", BETA, 2_500, null, 0).requestId());
        assertThat(acme.requestId()).isNotEqualTo(new MakePayment("cmd-2", ACME, 2_500, null, 0).requestId());
    }

    @Test
    void shouldOfferOnlyTheChosenMethodOrElsePrimaryThenBackupThenOthers() {
        // given
        metering.publish(settingsFor(ACME).autoRechargeOff().paymentMethods(aMastercard().other(),
                anAmexCard().backup(), aPayPalAccount().primary(), aVisaCard().primary(), aBankAccount().other()));
        metering.forgetOutputs();

        // when one payment names the Mastercard and another names none
        metering.publish(aPaymentCommand().withCommandId("cmd-chosen").onMethod("pm_card_mastercard"));
        List<PaymentMethodRef> chosen = metering.theRechargeRequest().getPaymentMethods();
        metering.publish(aPaymentCommand().withCommandId("cmd-any"));
        List<PaymentMethodRef> any = metering.theRechargeRequest().getPaymentMethods();

        // then
        assertThat(chosen).extracting(PaymentMethodRef::getPaymentMethodId).containsExactly("pm_card_mastercard");
        assertThat(any).extracting(PaymentMethodRef::getPaymentMethodId)
                .containsExactly("pm_card_visa", "pm_card_amex", "pm_card_mastercard", "pm_usBankAccount_success");
    }

    @Test
    void shouldCreditOnePaymentEntryAndResumeWhenThePaymentSucceeds() {
        // given a paused account: $6 of numbers on a zero balance, no automatic recharge
        metering.publish(settingsFor(ACME).autoRechargeOff());
        metering.publish(aUsageEvent().sku(LOCAL_NUMBER).quantity(2).at(START.plusSeconds(10)));
        metering.publish(aPaymentCommand().withCommandId("cmd-pay-back").amountCents(1_000)
                .at(START.plusSeconds(20)));
        RechargeRequest request = metering.theRechargeRequest();
        metering.forgetOutputs();

        // when the worker charged the card, and the result is delivered twice
        metering.publish(aPaymentResult().answering(request).succeeded().at(START.plusSeconds(30)));
        metering.publish(aPaymentResult().answering(request).succeeded().at(START.plusSeconds(30)));

        // then one PAYMENT of $10 whose source is the command, and the account is active again
        List<LedgerEntry> entries = metering.ledgerEntries();
        assertThat(entries).singleElement()
                .extracting(LedgerEntry::getEntryId, LedgerEntry::getKind, LedgerEntry::getAmountMicros,
                        LedgerEntry::getBalanceAfterMicros, LedgerEntry::getSourceId)
                .containsExactly("payment:cmd-pay-back", LedgerEntryKind.PAYMENT, dollars(10), dollars(4),
                        "cmd-pay-back");
        assertThat(metering.statusChanges()).extracting(AccountStatusChanged::getStatus)
                .containsExactly(AccountStatus.ACTIVE);
        assertThat(metering.latestBalances().get(ACME).getBalanceMicros()).isEqualTo(dollars(4));
        assertThat(metering.unmatchedPayments()).isEmpty();
    }

    @Test
    void shouldNeitherWaitForNorBlockAPendingAutomaticRecharge() {
        // given an automatic recharge in flight (the opening balance of zero is under the $15 threshold)
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest automatic = metering.theRechargeRequest();
        metering.forgetOutputs();

        // when a one-time payment is made and answered while the automatic one is still pending
        metering.publish(aPaymentCommand().withCommandId("cmd-meanwhile").amountCents(700)
                .at(START.plusSeconds(5)));
        RechargeRequest payment = metering.theRechargeRequest();
        metering.publish(aPaymentResult().answering(payment).succeeded().at(START.plusSeconds(6)));
        String stillPending = metering.latestBalances().get(ACME).getPendingRechargeId();
        metering.publish(aPaymentResult().answering(automatic).succeeded().at(START.plusSeconds(7)));

        // then the payment went out at once, and both were credited
        assertThat(payment.getRequestId()).isNotEqualTo(automatic.getRequestId());
        assertThat(stillPending).isEqualTo(automatic.getRequestId());
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getKind, LedgerEntry::getAmountMicros)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LedgerEntryKind.PAYMENT, dollars(7)),
                        org.assertj.core.groups.Tuple.tuple(LedgerEntryKind.RECHARGE, dollars(50)));
        assertThat(metering.unmatchedPayments()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = PaymentStatus.class, names = {"DECLINED", "FAILED"})
    void shouldNotBackOffAutomaticRechargesWhenAOneTimePaymentIsNotCharged(PaymentStatus status) {
        // given $50 on the balance after a first automatic recharge, and a one-time payment declined
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        metering.publish(aPaymentResult().answering(metering.theRechargeRequest()).succeeded()
                .at(START.plusSeconds(1)));
        metering.publish(aPaymentCommand().withCommandId("cmd-declined").at(START.plusSeconds(2)));
        metering.publish(aPaymentResult().answering(metering.theRechargeRequest()).withStatus(status)
                .at(START.plusSeconds(3)));
        metering.forgetOutputs();

        // when the balance falls to $14
        metering.publish(aUsageEvent().sku(LOCAL_NUMBER).quantity(12).at(START.plusSeconds(600)));

        // then the card that declined the payment is still asked for the automatic recharge
        RechargeRequest request = metering.theRechargeRequest();
        assertThat(request.getReason()).isEqualTo(RechargeReason.AUTO_RECHARGE);
        assertThat(request.getPaymentMethods()).extracting(PaymentMethodRef::getPaymentMethodId)
                .containsExactly("pm_card_visa");
    }

    @Test
    void shouldCreditNothingAndParkASecondOutcomeOfADeclinedPayment() {
        // given a declined payment
        metering.publish(settingsFor(ACME).autoRechargeOff());
        metering.publish(aPaymentCommand().withCommandId("cmd-twice"));
        RechargeRequest request = metering.theRechargeRequest();
        metering.publish(aPaymentResult().answering(request).declined().at(START.plusSeconds(1)));
        metering.forgetOutputs();

        // when a SUCCEEDED arrives for the same request
        metering.publish(aPaymentResult().answering(request).succeeded().at(START.plusSeconds(2)));

        // then it is not credited: an operator must look at it
        assertThat(metering.ledgerEntries()).isEmpty();
        assertThat(metering.unmatchedPayments()).hasSize(1);
    }

    @Test
    void shouldRefuseACommandIdAlreadyHandled() {
        // given a payment made
        metering.publish(settingsFor(ACME).autoRechargeOff());
        metering.publish(aPaymentCommand().withCommandId("cmd-once"));
        metering.forgetOutputs();

        // when the page sends it again
        metering.publish(aPaymentCommand().withCommandId("cmd-once").at(START.plusSeconds(30)));

        // then
        assertRefused("DUPLICATE_COMMAND");
    }

    @Test
    void shouldRefuseAPaymentForAnUnknownAccount() {
        metering.publish(aPaymentCommand().forAccount(BETA));

        assertRefused("UNKNOWN_ACCOUNT");
    }

    @Test
    void shouldRefuseACommandKeyedByAnotherAccount() {
        metering.publish(settingsFor(ACME).autoRechargeOff());
        metering.forgetOutputs();

        metering.publishUnderKey(ACME, aPaymentCommand().forAccount(BETA));

        assertRefused("KEY_MISMATCH");
    }

    @Test
    void shouldRefuseAmountsUnderFiftyCentsZeroNegativeOrAboveTheCap() {
        // given the default cap of $10,000
        metering.publish(settingsFor(ACME).autoRechargeOff());
        metering.forgetOutputs();

        // when
        metering.publish(aPaymentCommand().withCommandId("cmd-49c").amountCents(49));
        metering.publish(aPaymentCommand().withCommandId("cmd-zero").amountCents(0));
        metering.publish(aPaymentCommand().withCommandId("cmd-negative").amountCents(-2_500));
        metering.publish(aPaymentCommand().withCommandId("cmd-too-much").amountCents(1_000_001));
        metering.publish(aPaymentCommand().withCommandId("cmd-the-cap").amountCents(1_000_000));

        // then only the payment of exactly the cap is asked for
        assertThat(metering.rejectedPayments()).extracting(record -> header(record.headers(), Topics.REASON_HEADER))
                .containsExactly("AMOUNT_TOO_SMALL", "AMOUNT_TOO_SMALL", "AMOUNT_TOO_SMALL", "AMOUNT_ABOVE_LIMIT");
        assertThat(metering.theRechargeRequest().getAmountCents()).isEqualTo(1_000_000L);
    }

    @Test
    void shouldRefuseAChosenMethodThatIsNotTheAccountsOrCannotBeCharged() {
        // given
        metering.publish(settingsFor(ACME).autoRechargeOff().paymentMethods(aVisaCard().primary(),
                aPayPalAccount().backup(), aDinersCard().other(), aBankAccount().other()));
        metering.forgetOutputs();

        // when
        metering.publish(aPaymentCommand().withCommandId("cmd-other").onMethod("pm_card_of_someone_else"));
        metering.publish(aPaymentCommand().withCommandId("cmd-paypal").onMethod("pm_paypal_acme"));
        metering.publish(aPaymentCommand().withCommandId("cmd-diners").onMethod("pm_card_diners"));

        // then
        assertThat(metering.rejectedPayments()).extracting(record -> header(record.headers(), Topics.REASON_HEADER))
                .containsExactly("METHOD_NOT_ON_ACCOUNT", "METHOD_NOT_ACCEPTED", "METHOD_NOT_ACCEPTED");
        assertThat(metering.rechargeRequests()).isEmpty();
        assertThat(metering.meteringMetric(REJECTED_TOTAL, "reason", "METHOD_NOT_ACCEPTED")).isEqualTo(2.0);
    }

    @Test
    void shouldOfferAChosenBankAccountToAOneTimePayment() {
        // given an account whose bank account is never offered to its automatic recharges (issue 10, §2)
        metering.publish(settingsFor(ACME).autoRechargeOff().paymentMethods(aVisaCard().primary(),
                aBankAccount().other()));
        metering.forgetOutputs();

        // when the admin pays from the bank account
        metering.publish(aPaymentCommand().withCommandId("cmd-bank").onMethod("pm_usBankAccount_success"));

        // then the worker is asked to debit it, and only it
        assertThat(metering.rejectedPayments()).isEmpty();
        assertThat(metering.theRechargeRequest().getPaymentMethods())
                .extracting(PaymentMethodRef::getPaymentMethodId, PaymentMethodRef::getType)
                .containsExactly(tuple("pm_usBankAccount_success", PaymentMethodType.ACH));
    }

    @Test
    void shouldTakeACardPaymentWhileTheMostBankPaymentsSettle() {
        // issue 12: a bank debit waits days for the bank; the account's state keeps each settling one, and they no
        // longer keep the account from paying by card
        metering.publish(settingsFor(ACME).autoRechargeOff().paymentMethods(aVisaCard().primary(),
                aBankAccount().other()));
        for (int i = 0; i < PaymentCommandRules.MAX_OPEN_BANK_PAYMENTS; i++) {
            metering.publish(aPaymentCommand().withCommandId("cmd-bank-" + i).onMethod("pm_usBankAccount_success"));
        }
        metering.forgetOutputs();

        metering.publish(aPaymentCommand().withCommandId("cmd-card").onMethod("pm_card_visa"));
        metering.publish(aPaymentCommand().withCommandId("cmd-bank-more").onMethod("pm_usBankAccount_success"));

        assertThat(metering.theRechargeRequest().getPaymentMethods()).extracting(PaymentMethodRef::getPaymentMethodId)
                .containsExactly("pm_card_visa");
        assertThat(metering.rejectedPayments()).singleElement().satisfies(record -> {
            assertThat(record.value().getCommandId()).isEqualTo("cmd-bank-more");
            assertThat(header(record.headers(), Topics.REASON_HEADER)).isEqualTo("TOO_MANY_OPEN_BANK_PAYMENTS");
        });
    }

    @Test
    void shouldRefuseAPaymentWithoutAChosenMethodWhenNoMethodCanBeCharged() {
        metering.publish(settingsFor(ACME).autoRechargeOff().paymentMethods(aPayPalAccount().primary()));
        metering.forgetOutputs();

        metering.publish(aPaymentCommand());

        assertRefused("NO_USABLE_PAYMENT_METHOD");
    }

    @Test
    void shouldRefuseAPaymentOnASubAccountWhoseUsageItsAgencyPays() {
        // issue 10 §5: Acme is billed to Beta, so a payment credited to Acme's own balance would pay for nothing
        metering.publish(settingsFor(BETA).autoRechargeOff().paymentMethods(aVisaCard().primary()));
        metering.publish(settingsFor(ACME).autoRechargeOff().billedTo(BETA).paymentMethods(aVisaCard().primary()));
        metering.forgetOutputs();

        metering.publish(aPaymentCommand());

        List<TestRecord<String, PaymentCommand>> refused = metering.rejectedPayments();
        assertThat(refused).singleElement().satisfies(record -> {
            assertThat(header(record.headers(), Topics.REASON_HEADER)).isEqualTo("SUB_ACCOUNT_PAYS_VIA_PARENT");
            assertThat(header(record.headers(), Topics.DETAIL_HEADER))
                    .contains("paid from its agency's balance ('" + BETA + "')");
        });
        assertThat(metering.rechargeRequests()).isEmpty();
        assertThat(metering.ledgerEntries()).isEmpty();
    }

    @Test
    void shouldRefuseAChosenCardExpiredWhenThePaymentWasAskedFor() {
        // issue 10 §6: on 2025-03-03, the chosen card was valid through February 2025
        metering.publish(settingsFor(ACME).autoRechargeOff().paymentMethods(aVisaCard().primary().expiring(2, 2025),
                aMastercard().backup().expiring(3, 2025)));
        metering.forgetOutputs();

        metering.publish(aPaymentCommand().withCommandId("cmd-expired").onMethod("pm_card_visa"));

        assertRefused("METHOD_EXPIRED");
    }

    @Test
    void shouldAcceptARefusedCommandIdAgainOnceTheReasonIsGone() {
        // given a payment refused because the account had no card
        metering.publish(settingsFor(ACME).autoRechargeOff().paymentMethods(aPayPalAccount().primary()));
        metering.publish(aPaymentCommand().withCommandId("cmd-retry"));
        metering.forgetOutputs();

        // when the admin adds a card and the page sends the same payment again
        metering.publish(settingsFor(ACME).autoRechargeOff().paymentMethods(aVisaCard().primary())
                .at(START.plusSeconds(60)));
        metering.publish(aPaymentCommand().withCommandId("cmd-retry").at(START.plusSeconds(61)));

        // then a refusal marks nothing handled
        assertThat(metering.rejectedPayments()).isEmpty();
        assertThat(metering.theRechargeRequest().getReason()).isEqualTo(RechargeReason.ONE_TIME_PAYMENT);
    }

    private void assertRefused(String reason) {
        List<TestRecord<String, PaymentCommand>> refused = metering.rejectedPayments();
        assertThat(refused).hasSize(1);
        assertThat(header(refused.get(0).headers(), Topics.REASON_HEADER)).isEqualTo(reason);
        assertThat(header(refused.get(0).headers(), Topics.DETAIL_HEADER)).isNotBlank();
        assertThat(metering.rechargeRequests()).isEmpty();
        assertThat(metering.ledgerEntries()).isEmpty();
        assertThat(metering.meteringMetric(REJECTED_TOTAL, "reason", reason)).isEqualTo(1.0);
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
