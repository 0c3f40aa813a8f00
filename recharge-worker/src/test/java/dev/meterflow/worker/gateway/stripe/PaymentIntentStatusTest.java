package dev.meterflow.worker.gateway.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import com.stripe.net.ApiResource;
import dev.meterflow.worker.gateway.GatewayAnswer;
import dev.meterflow.worker.gateway.GatewayAnswer.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a retrieved (or looked-up) PaymentIntent is classified, from Stripe's JSON. A parked bank debit found in a state
 * that can no longer settle was answered UNKNOWN and polled for ever; it ends now, with its status as the reason.
 */
class PaymentIntentStatusTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "processing, PROCESSING",
            "requires_capture, UNKNOWN",
            "canceled, ERROR",
            "requires_confirmation, ERROR",
            "requires_payment_method, ERROR",
    })
    void shouldPollOnlyWhileTheIntentCanStillEndByItself(String status, Kind kind) {
        GatewayAnswer answer = StripeGateway.classifyFound(intent("{\"id\": \"pi_3Qbank\", \"status\": \"" + status
                + "\", \"payment_method_types\": [\"us_bank_account\"]}"));

        assertThat(answer.kind()).isEqualTo(kind);
        assertThat(answer.gatewayReference()).isEqualTo("pi_3Qbank");
    }

    @Test
    void shouldGiveTheStatusAndTheCancellationReasonOfAnIntentThatEndedWithoutACharge() {
        GatewayAnswer answer = StripeGateway.classifyFound(intent("{\"id\": \"pi_3Qbank\", \"status\": \"canceled\", "
                + "\"cancellation_reason\": \"abandoned\", \"payment_method_types\": [\"us_bank_account\"]}"));

        assertThat(answer.kind()).isEqualTo(Kind.ERROR);
        assertThat(answer.declineCode()).isEqualTo("canceled");
        assertThat(answer.chargeId()).isNull();
        assertThat(answer.message()).contains("canceled (abandoned)", "nothing was charged");
    }

    @Test
    void shouldStillDeclineWithTheBanksReturnCodeWhenTheIntentHasAPaymentError() {
        GatewayAnswer answer = StripeGateway.classifyFound(intent("{\"id\": \"pi_3Qbank\", "
                + "\"status\": \"requires_payment_method\", \"payment_method_types\": [\"us_bank_account\"], "
                + "\"last_payment_error\": {\"code\": \"payment_intent_payment_attempt_failed\", "
                + "\"decline_code\": \"insufficient_funds\", \"message\": \"returned\"}}"));

        assertThat(answer.kind()).isEqualTo(Kind.DECLINED_SOFT);
        assertThat(answer.declineCode()).isEqualTo("insufficient_funds");
    }

    private static PaymentIntent intent(String json) {
        return ApiResource.GSON.fromJson(json, PaymentIntent.class);
    }
}
