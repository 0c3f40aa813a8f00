package dev.meterflow.worker.recharge;

import static dev.meterflow.testdata.PaymentMethodBuilder.aBankAccount;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.recharge.RequestRefusal.Reason;
import dev.meterflow.testdata.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Issue 17, section 2: what the worker refuses before the gateway, and that what it publishes stays bounded. */
class RequestCheckTest {

    private static final int ONE_MIB = 1_048_576;
    private final RequestCheck check = new RequestCheck(50, 2_000_000, ONE_MIB);

    @Test
    void shouldAcceptAnOrdinaryRequest() {
        assertThat(check.check(TestData.ACCOUNT, aRechargeRequest().build())).isEmpty();
    }

    @Test
    void shouldRefuseToChargeABankAccountForAnAutomaticRecharge() {
        // issue 10 §2: the topology never offers one; the worker refuses it anyway, with the reason
        RechargeRequest automatic = aRechargeRequest().payingWith(aVisaCard().primary(),
                aBankAccount(TestData.BANK).backup()).build();

        assertThat(check.check(TestData.ACCOUNT, automatic)).hasValueSatisfying(refusal -> {
            assertThat(refusal.reason()).isEqualTo(Reason.ACH_FOR_AUTO_RECHARGE);
            assertThat(refusal.detail()).contains("payment method 2", "bank account");
        });
        assertThat(check.check(TestData.ACCOUNT, aRechargeRequest().oneTimePayment()
                .payingWith(aBankAccount(TestData.BANK).primary()).build())).isEmpty();
    }

    @Test
    void shouldRefuseBlankAndIllFormedIds() {
        assertThat(reason(aRechargeRequest().withId(" ").build())).hasValue(Reason.BLANK_ID);
        assertThat(check.check("", aRechargeRequest().forAccount("").build()).map(RequestRefusal::reason))
                .hasValue(Reason.BLANK_ID);
        assertThat(reason(aRechargeRequest().withId("rr 1").build())).hasValue(Reason.ILL_FORMED_ID);
        assertThat(reason(aRechargeRequest().withId("rr-" + "x".repeat(300)).build())).hasValue(Reason.ILL_FORMED_ID);
        // with the payment method id, the idempotency key would pass Stripe's 255 characters
        assertThat(reason(aRechargeRequest().withId("rr-" + "x".repeat(240)).build())).hasValue(Reason.ILL_FORMED_ID);
        assertThat(check.check("another-account", aRechargeRequest().build()).map(RequestRefusal::reason))
                .hasValue(Reason.KEY_MISMATCH);
    }

    @Test
    void shouldRefuseAmountsOutsideTheBoundsAndOtherCurrencies() {
        assertThat(reason(aRechargeRequest().amountCents(0).build())).hasValue(Reason.AMOUNT_OUT_OF_BOUNDS);
        assertThat(reason(aRechargeRequest().amountCents(49).build())).hasValue(Reason.AMOUNT_OUT_OF_BOUNDS);
        assertThat(reason(aRechargeRequest().amountCents(2_000_001).build())).hasValue(Reason.AMOUNT_OUT_OF_BOUNDS);
        assertThat(reason(aRechargeRequest().amountCents(2_000_000).build())).isEmpty();
        RechargeRequest euros = RechargeRequest.newBuilder(aRechargeRequest().build()).setCurrency("EUR").build();
        assertThat(reason(euros)).hasValue(Reason.UNSUPPORTED_CURRENCY);
    }

    @Test
    void shouldRefuseRecipientsBeyondTheSettingsLimits() {
        String[] eleven = IntStream.rangeClosed(1, 11).mapToObj(i -> "b" + i + "@acme.example").toArray(String[]::new);
        assertThat(reason(aRechargeRequest().billingEmails(eleven).build())).hasValue(Reason.TOO_MANY_RECIPIENTS);
        assertThat(reason(aRechargeRequest().billingEmails("not an address").build()))
                .hasValue(Reason.INVALID_RECIPIENT);
        assertThat(reason(aRechargeRequest().billingEmails("a".repeat(250) + "@b.example").build()))
                .hasValue(Reason.INVALID_RECIPIENT);
        assertThat(reason(aRechargeRequest().criticalBillingPhone("555-0142").build()))
                .hasValue(Reason.INVALID_RECIPIENT);
    }

    @Test
    void shouldRefuseAPaymentMethodThatLooksLikeACardNumberWithoutRepeatingIt() {
        String pasted = "4000 0000 0000 0002";
        RechargeRequest request = RechargeRequest.newBuilder(aRechargeRequest().build())
                .setPaymentMethods(List.of(PaymentMethodRef.newBuilder(aVisaCard().primary().build())
                        .setPaymentMethodId(pasted).build())).build();

        Optional<RequestRefusal> refusal = check.check(TestData.ACCOUNT, request);

        assertThat(refusal.map(RequestRefusal::reason)).hasValue(Reason.INVALID_PAYMENT_METHOD);
        assertThat(refusal.get().detail()).doesNotContain(pasted);
    }

    @Test
    void shouldKeepEveryOutputOfARequestAtEveryLimitFarBelowTheRecordSize() {
        RechargeRequest atTheLimits = atEveryLimit();
        assertThat(check.check(atTheLimits.getAccountId(), atTheLimits)).isEmpty();

        for (RechargeOutputs outputs : RequestCheck.worstCaseOutputs(atTheLimits)) {
            assertThat(outputs.result().getAttempts()).hasSize(RechargeOutputs.MAX_LISTED_ATTEMPTS);
            assertThat(Topics.PAYMENT_RESULTS.valueSerde().serializer().serialize("t", outputs.result()).length)
                    .isLessThan(ONE_MIB / 4);
            outputs.notifications().forEach(notice -> assertThat(Topics.BILLING_NOTIFICATIONS.valueSerde()
                    .serializer().serialize("t", notice).length).isLessThan(ONE_MIB / 4));
        }
    }

    @Test
    void shouldRefuseARequestWhoseOutputsWouldNotFitTheRecordLimit() {
        RequestCheck smallRecords = new RequestCheck(50, 2_000_000, 40_000);

        assertThat(smallRecords.check(TestData.ACCOUNT, aRechargeRequest().build()).map(RequestRefusal::reason))
                .hasValue(Reason.OUTPUTS_TOO_LARGE);
    }

    private Optional<Reason> reason(RechargeRequest request) {
        return check.check(request.getAccountId(), request).map(RequestRefusal::reason);
    }

    /** Ids, payment methods, emails and phone all at the longest the worker accepts. */
    private static RechargeRequest atEveryLimit() {
        String accountId = "a".repeat(RequestCheck.MAX_ID_LENGTH);
        String requestId = "r".repeat(100);
        List<PaymentMethodRef> methods = new ArrayList<>();
        for (int i = 0; i < RequestCheck.MAX_PAYMENT_METHODS; i++) {
            methods.add(PaymentMethodRef.newBuilder(aVisaCard().primary().build())
                    .setPaymentMethodId("pm_" + i + "x".repeat(140)).setCustomerId("c".repeat(255))
                    .setBrand("b".repeat(255)).build());
        }
        List<String> emails = IntStream.range(0, RequestCheck.MAX_EMAILS)
                .mapToObj(i -> "e".repeat(RequestCheck.MAX_EMAIL_LENGTH - 12) + i + "@x.example").toList();
        return RechargeRequest.newBuilder(aRechargeRequest().build()).setAccountId(accountId)
                .setRequestId(requestId).setPaymentMethods(methods).setBillingEmails(emails)
                .setCriticalBillingPhone("+123456789012345").build();
    }
}
