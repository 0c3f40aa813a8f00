package dev.meterflow.worker.recharge;

import static dev.meterflow.testdata.PaymentMethodBuilder.aMastercard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static dev.meterflow.testdata.TestData.MASTERCARD;
import static dev.meterflow.testdata.TestData.VISA;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A hard-declined card stays skipped only until its details change (issue 10, §6); no Kafka, no gateway. */
class HardDeclinesTest {

    @Test
    void shouldSkipAHardDeclinedCardWhileTheRequestNamesTheDetailsItWasDeclinedWith() {
        assertThat(HardDeclines.stillSkipped(Map.of(VISA, Set.of("4242")), Map.of(VISA, "4242", MASTERCARD, "4444")))
                .containsExactly(VISA);
    }

    @Test
    void shouldNoLongerSkipItOnceTheSamePaymentMethodNamesNewDetails() {
        assertThat(HardDeclines.stillSkipped(Map.of(VISA, Set.of("4242")), Map.of(VISA, "1881"))).isEmpty();
    }

    @Test
    void shouldSkipItAgainWhenTheNewDetailsAreHardDeclinedToo() {
        assertThat(HardDeclines.stillSkipped(Map.of(VISA, Set.of("4242", "1881")), Map.of(VISA, "1881")))
                .containsExactly(VISA);
    }

    @Test
    void shouldKeepSkippingADeclineRecordedBeforeDetailsWereKept() {
        assertThat(HardDeclines.stillSkipped(Map.of(VISA, Set.of(HardDeclines.UNKNOWN_DETAILS)), Map.of(VISA, "1881")))
                .containsExactly(VISA);
    }

    @Test
    void shouldReadTheDetailsOfEveryMethodOfARequest() {
        assertThat(HardDeclines.detailsOf(aRechargeRequest()
                .payingWith(aVisaCard().primary().reissuedWithLast4("1881"), aMastercard().backup()).build()))
                .isEqualTo(Map.of(VISA, "1881", MASTERCARD, "4444"));
    }
}
