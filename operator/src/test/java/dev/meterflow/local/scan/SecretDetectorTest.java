package dev.meterflow.local.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.local.scan.SecretDetector.Detection;
import dev.meterflow.local.scan.SecretDetector.Kind;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretDetectorTest {

    private final SecretDetector detector = new SecretDetector(List.of("s3cr3t-scram-password"));

    // ---- card numbers --------------------------------------------------------------------------------------

    @Test
    void shouldBuildTheNetworksPublishedTestNumbers() {
        assertThat(TestCards.VISA).isEqualTo("4242".repeat(4));
        assertThat(TestCards.grouped(TestCards.VISA_DEBIT, " ", 4, 4, 4, 4)).startsWith("4000 0566 5566 555");
        assertThat(TestCards.MASTERCARD).isEqualTo("5".repeat(12) + "4444");
    }

    static Stream<String> testCardNumbers() {
        return Stream.of(TestCards.VISA, TestCards.grouped(TestCards.VISA_DEBIT, " ", 4, 4, 4, 4),
                TestCards.grouped(TestCards.VISA_DEBIT, "-", 4, 4, 4, 4), TestCards.MASTERCARD,
                TestCards.MASTERCARD_2_SERIES, TestCards.AMEX, TestCards.grouped(TestCards.AMEX, " ", 4, 6, 5),
                TestCards.DISCOVER, TestCards.VISA_13);
    }

    @ParameterizedTest
    @MethodSource("testCardNumbers")
    void shouldFlagATestCardNumberWhateverItsGrouping(String card) {
        assertThat(kinds("charged card " + card + " ok")).containsExactly(Kind.CARD_NUMBER);
    }

    @Test
    void shouldNotFlagEpochTimestampsThatHappenToPassTheLuhnCheck() {
        // given millis, micros and nanos of November 2026 that are Luhn-valid
        assertThat(SecretDetector.luhnValid("1764144000007")).isTrue();
        assertThat(SecretDetector.luhnValid("1764144000000125")).isTrue();
        assertThat(SecretDetector.luhnValid("1764144000000123452")).isTrue();

        // then none is a card number: no network issues numbers starting with 1 (UATP left out on purpose)
        assertThat(detector.detect("evt-run-1764144000007-42 at=1764144000000125 ns=1764144000000123452", false))
                .isEmpty();
    }

    @Test
    void shouldNotFlagADigitRunThatFailsTheLuhnCheckOrIsPartOfALongerRun() {
        assertThat(detector.detect(TestCards.VISA.substring(0, 15) + "1", false)).isEmpty();
        assertThat(detector.detect("1" + TestCards.VISA, false)).as("17 digits, not bounded").isEmpty();
        assertThat(detector.detect(TestCards.VISA + "0", false)).isEmpty();
        assertThat(detector.detect("amountMicros=4150000000 balance=-9000000 seq 4242", false)).isEmpty();
    }

    @Test
    void shouldFlagACardNumberGluedToLettersButNotToDigits() {
        assertThat(kinds("rr-acct-" + TestCards.VISA + "-x")).containsExactly(Kind.CARD_NUMBER);
    }

    @Test
    void shouldKnowTheIssuerByPrefixAndLength() {
        assertThat(SecretDetector.issuer(TestCards.VISA)).isEqualTo("visa");
        assertThat(SecretDetector.issuer(TestCards.VISA.substring(0, 15))).as("15-digit 4").isNull();
        assertThat(SecretDetector.issuer(TestCards.complete("2720 9900 0000 000"))).isEqualTo("mastercard");
        assertThat(SecretDetector.issuer("2721000000000000")).isNull();
        assertThat(SecretDetector.issuer(TestCards.complete("3714 496353 9843"))).isEqualTo("amex");
        assertThat(SecretDetector.issuer(TestCards.complete("3530 1113 3330 000"))).isEqualTo("jcb");
        assertThat(SecretDetector.issuer(TestCards.complete("6200 0000 0000 000"))).isEqualTo("unionpay");
        assertThat(SecretDetector.issuer("1764144000007")).isNull();
    }

    // ---- card fields ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"{\"cvv\": \"123\"}", "cvc=987", "CVV2: 4321", "card_number=xxxx", "\"cardNumber\":\"1\"",
            "security_code = 555", "{\"fields\":[{\"name\":\"cvv\",\"type\":\"string\"}]}"})
    void shouldFlagACardFieldWithAValueOrInASchema(String text) {
        assertThat(kinds(text)).contains(Kind.CARD_FIELD);
    }

    @Test
    void shouldFlagACardFieldAsAnAvroMapEntryInRecordsOnly() {
        // an Avro map entry: key length 3 (zig-zag 6), "cvv", value length 3, "123"
        String avro = "\u0002\u0006cvv\u0006123\u0000";
        assertThat(detector.detect(avro, true)).extracting(Detection::kind).containsExactly(Kind.CARD_FIELD);
        assertThat(detector.detect(avro, false)).isEmpty();
    }

    @Test
    void shouldNotFlagProseOrPaymentMethodTokens() {
        assertThat(detector.detect("charged pm_card_visa; the cvv check passed; cardholder", false)).isEmpty();
        assertThat(detector.detect("paymentMethodId=pm_card_chargeDeclinedInsufficientFunds", true)).isEmpty();
    }

    // ---- API keys and literal secrets ----------------------------------------------------------------------

    @Test
    void shouldFlagSecretAndRestrictedKeysButNotPublishableOnes() {
        assertThat(kinds("key sk_live_51Habcdefghij0123")).containsExactly(Kind.API_KEY);
        assertThat(kinds("Authorization: Bearer rk_test_abcdefghijKLMN")).containsExactly(Kind.API_KEY);
        assertThat(detector.detect("pk_live_51Habcdefghij0123 task_live_abcdefghijkl sk_test_short", false)).isEmpty();
    }

    @Test
    void shouldFlagAConfiguredSecretWherever() {
        assertThat(kinds("sasl password=s3cr3t-scram-passwordX")).containsExactly(Kind.LITERAL_SECRET);
    }

    @Test
    void shouldRefuseALiteralSecretSoShortItWouldMatchEverywhere() {
        assertThatThrownBy(() -> new SecretDetector(List.of("abc"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 6");
    }

    // ---- redaction -----------------------------------------------------------------------------------------

    @Test
    void shouldMaskEverySecretButItsLastFourCharacters() {
        String text = "card " + TestCards.grouped(TestCards.VISA_DEBIT, " ", 4, 4, 4, 4)
                + " key sk_test_abcdefghijkl9876 cvv=123 pw s3cr3t-scram-password\u0001";
        List<Detection> detections = detector.detect(text, false);

        String redacted = SecretDetector.redact(text, detections);

        assertThat(redacted).isEqualTo(
                "card **** **** **** 5556 key ********************9876 cvv=*** pw *****************word.");
        assertThat(redacted).doesNotContain("4000", "abcdefghijkl", "s3cr3t");
        assertThat(SecretDetector.excerpt(redacted, detections.get(0), 4)).isEqualTo("...ard **** **** **** 5556 key...");
    }

    @Test
    void shouldMaskAShortSecretWhole() {
        String text = "security_code=98765";
        assertThat(SecretDetector.redact(text, detector.detect(text, false))).isEqualTo("security_code=*****");
    }

    private List<Kind> kinds(String text) {
        return detector.detect(text, false).stream().map(Detection::kind).toList();
    }
}
