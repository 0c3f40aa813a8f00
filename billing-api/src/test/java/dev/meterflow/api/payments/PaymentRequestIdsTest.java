package dev.meterflow.api.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.payments.MakePayment;
import org.junit.jupiter.api.Test;

class PaymentRequestIdsTest {

    /** The read model finds a payment command's result by this id: it must be the pipeline's own. */
    @Test
    void shouldDeriveThePipelinesRequestIdOfAPaymentCommand() {
        String commandId = PaymentCommands.commandId("acct-0001", "key-1");

        assertThat(PaymentRequestIds.of("acct-0001", commandId))
                .isEqualTo(MakePayment.requestIdOf("acct-0001", commandId));
    }
}
