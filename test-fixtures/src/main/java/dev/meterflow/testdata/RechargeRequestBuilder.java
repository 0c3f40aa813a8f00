package dev.meterflow.testdata;

import static dev.meterflow.testdata.PaymentMethodBuilder.aMastercard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;

import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import java.util.Arrays;
import java.util.List;

/**
 * Test data: an auto-recharge from $14.25 up to the $50.00 target ($35.75), primary Visa, backup Mastercard.
 * {@code aRechargeRequest().payingWith(aVisaCard().primary()).amountCents(2_000)}.
 */
public final class RechargeRequestBuilder {

    private String requestId = TestData.REQUEST_ID;
    private String accountId = TestData.ACCOUNT;
    private long amountCents = 3_575;
    private List<PaymentMethodBuilder> paymentMethods = List.of(aVisaCard().primary(), aMastercard().backup());
    private List<String> billingEmails = TestData.BILLING_EMAILS;
    private String criticalBillingPhone = TestData.CRITICAL_BILLING_PHONE;
    private RechargeReason reason = RechargeReason.AUTO_RECHARGE;

    private RechargeRequestBuilder() {
    }

    public static RechargeRequestBuilder aRechargeRequest() {
        return new RechargeRequestBuilder();
    }

    public RechargeRequestBuilder withId(String requestId) {
        this.requestId = requestId;
        return this;
    }

    public RechargeRequestBuilder forAccount(String accountId) {
        this.accountId = accountId;
        return this;
    }

    public RechargeRequestBuilder amountCents(long amountCents) {
        this.amountCents = amountCents;
        return this;
    }

    /** The payment methods in the order to try. */
    public RechargeRequestBuilder payingWith(PaymentMethodBuilder... methods) {
        this.paymentMethods = Arrays.asList(methods);
        return this;
    }

    public RechargeRequestBuilder billingEmails(String... emails) {
        this.billingEmails = List.of(emails);
        return this;
    }

    public RechargeRequestBuilder criticalBillingPhone(String phone) {
        this.criticalBillingPhone = phone;
        return this;
    }

    /** A one-time payment the account admin made (issue 10 §1), which may be paid from a bank account. */
    public RechargeRequestBuilder oneTimePayment() {
        this.reason = RechargeReason.ONE_TIME_PAYMENT;
        return this;
    }

    public RechargeRequestBuilder noCriticalBillingPhone() {
        return criticalBillingPhone(null);
    }

    public RechargeRequest build() {
        return RechargeRequest.newBuilder()
                .setRequestId(requestId)
                .setAccountId(accountId)
                .setReason(reason)
                .setAmountCents(amountCents)
                .setCurrency("USD")
                .setPaymentMethods(paymentMethods.stream().map(PaymentMethodBuilder::build).toList())
                .setBalanceMicros(14_250_000L)
                .setThresholdMicros(15_000_000L)
                .setTargetMicros(50_000_000L)
                .setRequestedAt(TestData.NOW.minusSeconds(2))
                .setBillingEmails(billingEmails)
                .setCriticalBillingPhone(criticalBillingPhone)
                .build();
    }
}
