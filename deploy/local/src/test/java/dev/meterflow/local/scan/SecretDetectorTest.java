package dev.meterflow.local.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.local.scan.SecretDetector.Detection;
import dev.meterflow.local.scan.SecretDetector.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretDetectorTest {

    private final SecretDetector detector = new SecretDetector(List.of("s3cr3t-scram-password"));

    // ---- card numbers --------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"4242424242424242", "4000 0566 5566 5556", "4000-0566-5566-5556", "5555555555554444",
            "2223003122003222", "378282246310005", "3782 822463 10005", "6011111111111117", "4123456789011"})
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
        assertThat(detector.detect("4242424242424241", false)).isEmpty();
        assertThat(detector.detect("14242424242424242", false)).as("17 digits, not bounded").isEmpty();
        assertThat(detector.detect("42424242424242420", false)).isEmpty();
        assertThat(detector.detect("amountMicros=4150000000 balance=-9000000 seq 4242", false)).isEmpty();
    }

    @Test
    void shouldFlagACardNumberGluedToLettersButNotToDigits() {
        assertThat(kinds("rr-acct-4242424242424242-x")).containsExactly(Kind.CARD_NUMBER);
    }

    @Test
    void shouldKnowTheIssuerByPrefixAndLength() {
        assertThat(SecretDetector.issuer("4242424242424242")).isEqualTo("visa");
        assertThat(SecretDetector.issuer("424242424242424")).as("15-digit 4").isNull();
        assertThat(SecretDetector.issuer("2720990000000007")).isEqualTo("mastercard");
        assertThat(SecretDetector.issuer("2721000000000000")).isNull();
        assertThat(SecretDetector.issuer("371449635398431")).isEqualTo("amex");
        assertThat(SecretDetector.issuer("3530111333300000")).isEqualTo("jcb");
        assertThat(SecretDetector.issuer("6200000000000005")).isEqualTo("unionpay");
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
        String text = "card 4000 0566 5566 5556 key sk_test_abcdefghijkl9876 cvv=123 pw s3cr3t-scram-password\u0001";
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
