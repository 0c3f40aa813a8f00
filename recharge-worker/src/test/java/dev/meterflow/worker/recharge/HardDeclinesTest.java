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
    void shouldNoLongerSkipItOnceTheSameLast4ComesWithANewExpiry() {
        // issue 10 §6: an account updater renews a card under the same id and last 4, with a new expiry
        assertThat(HardDeclines.stillSkipped(Map.of(VISA, Set.of("4242 08/2028")), Map.of(VISA, "4242 08/2031")))
                .isEmpty();
        assertThat(HardDeclines.stillSkipped(Map.of(VISA, Set.of("4242 08/2028")), Map.of(VISA, "4242 08/2028")))
                .containsExactly(VISA);
    }

    @Test
    void shouldKeepSkippingTheSameLast4WhenEitherSideDoesNotKnowTheExpiry() {
        // a decline recorded before expiries were kept is not undone by the expiry merely becoming known
        assertThat(HardDeclines.stillSkipped(Map.of(VISA, Set.of("4242")), Map.of(VISA, "4242 08/2031")))
                .containsExactly(VISA);
        assertThat(HardDeclines.stillSkipped(Map.of(VISA, Set.of("4242 08/2028")), Map.of(VISA, "4242")))
                .containsExactly(VISA);
        assertThat(HardDeclines.stillSkipped(Map.of(VISA, Set.of("4242")), Map.of(VISA, "1881 08/2031")))
                .isEmpty();
    }

    @Test
    void shouldKeepTheExpiryInTheDetailsOfACardThatHasOne() {
        assertThat(HardDeclines.detailsOf(aRechargeRequest()
                .payingWith(aVisaCard().primary().expiring(8, 2028), aMastercard().backup()).build()))
                .isEqualTo(Map.of(VISA, "4242 08/2028", MASTERCARD, "4444"));
    }

    @Test
    void shouldReadTheDetailsOfEveryMethodOfARequest() {
        assertThat(HardDeclines.detailsOf(aRechargeRequest()
                .payingWith(aVisaCard().primary().reissuedWithLast4("1881"), aMastercard().backup()).build()))
                .isEqualTo(Map.of(VISA, "1881", MASTERCARD, "4444"));
    }
}
