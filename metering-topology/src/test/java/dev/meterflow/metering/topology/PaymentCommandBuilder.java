package dev.meterflow.metering.topology;

import static dev.meterflow.metering.topology.TestData.START;

import dev.meterflow.schemas.PaymentCommand;
import java.time.Instant;

/**
 * Test data: a Make a Payment command from the Billing Settings page.
 * {@code aPaymentCommand().withCommandId("pay-1").amountCents(2500).onMethod("pm_card_visa")}.
 */
final class PaymentCommandBuilder {

    private String commandId = "cmd-acme-1";
    private String accountId = TestData.ACME;
    private long amountCents = 2_500;
    private String paymentMethodId;
    private Instant requestedAt = START;

    private PaymentCommandBuilder() {
    }

    static PaymentCommandBuilder aPaymentCommand() {
        return new PaymentCommandBuilder();
    }

    PaymentCommandBuilder withCommandId(String commandId) {
        this.commandId = commandId;
        return this;
    }

    PaymentCommandBuilder forAccount(String accountId) {
        this.accountId = accountId;
        return this;
    }

    PaymentCommandBuilder amountCents(long amountCents) {
        this.amountCents = amountCents;
        return this;
    }

    PaymentCommandBuilder onMethod(String paymentMethodId) {
        this.paymentMethodId = paymentMethodId;
        return this;
    }

    PaymentCommandBuilder at(Instant requestedAt) {
        this.requestedAt = requestedAt;
        return this;
    }

    PaymentCommand build() {
        return PaymentCommand.newBuilder()
                .setCommandId(commandId)
                .setAccountId(accountId)
                .setAmountCents(amountCents)
                .setPaymentMethodId(paymentMethodId)
                .setRequestedAt(requestedAt)
                .build();
    }
}
