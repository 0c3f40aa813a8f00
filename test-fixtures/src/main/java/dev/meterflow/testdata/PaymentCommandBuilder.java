package dev.meterflow.testdata;

import static dev.meterflow.testdata.TestData.START;

import dev.meterflow.schemas.PaymentCommand;
import java.time.Instant;

/**
 * Test data: a Make a Payment command from the Billing Settings page.
 * {@code aPaymentCommand().withCommandId("pay-1").amountCents(2500).onMethod("pm_card_visa")}.
 */
public final class PaymentCommandBuilder {

    private String commandId = "cmd-acme-1";
    private String accountId = TestData.ACME;
    private long amountCents = 2_500;
    private String paymentMethodId;
    private Instant requestedAt = START;

    private PaymentCommandBuilder() {
    }

    public static PaymentCommandBuilder aPaymentCommand() {
        return new PaymentCommandBuilder();
    }

    public PaymentCommandBuilder withCommandId(String commandId) {
        this.commandId = commandId;
        return this;
    }

    public PaymentCommandBuilder forAccount(String accountId) {
        this.accountId = accountId;
        return this;
    }

    public PaymentCommandBuilder amountCents(long amountCents) {
        this.amountCents = amountCents;
        return this;
    }

    public PaymentCommandBuilder onMethod(String paymentMethodId) {
        this.paymentMethodId = paymentMethodId;
        return this;
    }

    public PaymentCommandBuilder at(Instant requestedAt) {
        this.requestedAt = requestedAt;
        return this;
    }

    public PaymentCommand build() {
        return PaymentCommand.newBuilder()
                .setCommandId(commandId)
                .setAccountId(accountId)
                .setAmountCents(amountCents)
                .setPaymentMethodId(paymentMethodId)
                .setRequestedAt(requestedAt)
                .build();
    }
}
