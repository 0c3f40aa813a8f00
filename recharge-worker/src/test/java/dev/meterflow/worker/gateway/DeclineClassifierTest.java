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

    @ParameterizedTest(name = "bank return {0} ({1}) is {2}")
    @CsvSource(textBlock = """
            # return code, what the bank says,               kind (issue 10 §2)
            R01,           insufficient funds,               DECLINED_SOFT
            R09,           uncollected funds,                DECLINED_SOFT
            R02,           account closed,                   DECLINED_HARD
            R03,           no account found,                 DECLINED_HARD
            R04,           invalid account number,           DECLINED_HARD
            R07,           authorization revoked,            DECLINED_HARD
            R08,           payment stopped,                  DECLINED_HARD
            R10,           not authorized by the customer,   DECLINED_HARD
            R16,           account frozen,                   DECLINED_HARD
            R29,           corporate debit not authorized,   DECLINED_HARD
            R06,           returned at the ODFI's request,   DECLINED_SOFT
            """)
    void shouldClassifyAchReturnCodesInTheSameTable(String returnCode, String meaning, GatewayAnswer.Kind kind) {
        // when
        String counted = DeclineClassifier.bankReturnCode(returnCode.toLowerCase(java.util.Locale.ROOT),
                "payment_method_provider_decline", "insufficient_funds");

        // then the bank's own code counts, as NACHA writes it
        assertThat(counted).isEqualTo(returnCode);
        assertThat(DeclineClassifier.classify(counted)).isEqualTo(kind);
    }

    @ParameterizedTest(name = "without a return code, Stripe's {0} is {1}")
    @CsvSource(textBlock = """
            insufficient_funds,           DECLINED_SOFT
            bank_account_closed,          DECLINED_HARD
            bank_account_invalid_details, DECLINED_HARD
            debit_not_authorized,         DECLINED_HARD
            """)
    void shouldFallBackToStripesBankDeclineCode(String declineCode, GatewayAnswer.Kind kind) {
        String counted = DeclineClassifier.bankReturnCode(null, null, declineCode);

        assertThat(counted).isEqualTo(declineCode);
        assertThat(DeclineClassifier.classify(counted)).isEqualTo(kind);
    }
}
