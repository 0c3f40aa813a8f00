package dev.meterflow.api.page;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 12: the help page's refusal of PayPal and Diners Club. */
class PaymentMethodChoiceTest {

    @Test
    void shouldRefusePayPalAndDinersInTheHelpPagesWords() {
        assertThat(PaymentMethodChoice.refusal("PayPal")).contains(
                "We bill in US dollars and do not accept PayPal or Diners Club.");
        assertThat(PaymentMethodChoice.refusal("diners")).isPresent();
        assertThat(PaymentMethodChoice.refusal("visa")).isEmpty();
        assertThat(PaymentMethodChoice.refusal(null)).isEmpty();
    }

    @Test
    void shouldOfferOnlyGatewayTokens() {
        assertThat(PaymentMethodChoice.TEST_CARDS).allSatisfy(card -> assertThat(card.token()).startsWith("pm_"));
        assertThat(PaymentMethodChoice.testCard("pm_card_visa")).get().extracting(c -> c.last4()).isEqualTo("4242");
    }
}
