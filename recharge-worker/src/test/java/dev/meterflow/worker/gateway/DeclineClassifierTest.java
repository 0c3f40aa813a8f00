package dev.meterflow.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one table of Stripe decline codes: which declines are final for a card, and which code counts. */
class DeclineClassifierTest {

    @ParameterizedTest(name = "{0} is a hard decline")
    @ValueSource(strings = {
            "lost_card", "stolen_card", "pickup_card", "fraudulent", "merchant_blacklist",
            "invalid_account", "incorrect_number", "invalid_number", "expired_card",
            "stop_payment_order", "revocation_of_authorization", "authentication_required"})
    void shouldTreatLostStolenFraudulentInvalidAndExpiredCardsAsHardDeclines(String declineCode) {
        // when
        GatewayAnswer.Kind kind = DeclineClassifier.classify(declineCode);

        // then
        assertThat(kind).isEqualTo(GatewayAnswer.Kind.DECLINED_HARD);
        assertThat(DeclineClassifier.isHard(declineCode)).isTrue();
    }

    @ParameterizedTest(name = "{0} is a soft decline")
    @ValueSource(strings = {
            "insufficient_funds", "try_again_later", "generic_decline", "processing_error",
            "issuer_not_available", "do_not_honor", "card_velocity_exceeded", "approve_with_id"})
    void shouldTreatDeclinesThatMaySucceedLaterAsSoft(String declineCode) {
        // when
        GatewayAnswer.Kind kind = DeclineClassifier.classify(declineCode);

        // then
        assertThat(kind).isEqualTo(GatewayAnswer.Kind.DECLINED_SOFT);
        assertThat(DeclineClassifier.isHard(declineCode)).isFalse();
    }

    @ParameterizedTest(name = "unlisted code {0} is soft")
    @ValueSource(strings = {"a_code_stripe_adds_next_year", "card_declined", ""})
    void shouldTreatAnUnknownCodeAsSoftSoThatANewCodeNeverBlacklistsACard(String declineCode) {
        // when
        GatewayAnswer.Kind kind = DeclineClassifier.classify(declineCode);

        // then
        assertThat(kind).isEqualTo(GatewayAnswer.Kind.DECLINED_SOFT);
    }

    @ParameterizedTest(name = "error code {0}, decline code {1} -> {2} ({3})")
    @CsvSource(nullValues = "null", textBlock = """
            # errorCode,        declineCode,         counts as,           kind
            card_declined,      insufficient_funds,  insufficient_funds,  DECLINED_SOFT
            card_declined,      stolen_card,         stolen_card,         DECLINED_HARD
            card_declined,      LOST_CARD,           lost_card,           DECLINED_HARD
            expired_card,       null,                expired_card,        DECLINED_HARD
            expired_card,       '',                  expired_card,        DECLINED_HARD
            incorrect_cvc,      null,                incorrect_cvc,       DECLINED_HARD
            authentication_required, null,           authentication_required, DECLINED_HARD
            processing_error,   null,                processing_error,    DECLINED_SOFT
            card_declined,      null,                generic_decline,     DECLINED_SOFT
            null,               null,                generic_decline,     DECLINED_SOFT
            """)
    void shouldCountTheDeclineCodeAndFallBackToASpecificErrorCode(String errorCode, String declineCode,
                                                                   String expectedCode,
                                                                   GatewayAnswer.Kind expectedKind) {
        // when
        String counted = DeclineClassifier.declineCode(errorCode, declineCode);

        // then
        assertThat(counted).isEqualTo(expectedCode);
        assertThat(DeclineClassifier.classify(counted)).isEqualTo(expectedKind);
    }
}
