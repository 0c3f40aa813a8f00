package dev.meterflow.api.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.payments.MakePayment;
import org.junit.jupiter.api.Test;

/** Issue 12: the page finds a payment's outcome by the request id the pipeline derives from the command id. */
class PaymentCommandsTest {

    @Test
    void shouldDeriveTheRequestIdThePipelineCharges() {
        String commandId = PaymentCommands.commandId("acme", "page-1");

        assertThat(PaymentCommands.requestIdOf("acme", commandId))
                .isEqualTo(MakePayment.requestIdOf("acme", commandId));
    }
}
