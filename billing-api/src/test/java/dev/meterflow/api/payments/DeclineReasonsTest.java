package dev.meterflow.api.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeclineReasonsTest {

    @Test
    void shouldExplainEachCardTriedInOrder() {
        assertThat(DeclineReasons.describe("DECLINED", List.of("insufficient_funds", "expired_card")))
                .isEqualTo("Declined: the card has insufficient funds; then the card has expired.");
    }

    @Test
    void shouldNameAnUnknownCodeAndExplainAFailureWithoutCodes() {
        assertThat(DeclineReasons.describe("DECLINED", List.of("weird_code")))
                .isEqualTo("Declined: the bank's code 'weird_code'.");
        assertThat(DeclineReasons.describe("FAILED", List.of()))
                .isEqualTo("Failed: the payment gateway could not complete the charge; no money was taken.");
    }
}
