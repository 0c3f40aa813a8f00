package dev.meterflow.local.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.local.deadletter.DeadLetter.Location;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Issue 16, item 3: nothing inspected or replayed the dead letter queues. */
class DeadLetterTest {

    @Test
    void shouldReadKafkaStreamsDiagnosisAndSource() {
        RecordHeaders headers = headers(
                "__streams.errors.exception", "org.apache.kafka.common.errors.SerializationException",
                "__streams.errors.message", "unknown schema fingerprint", "__streams.errors.topic", "usage-events",
                "__streams.errors.partition", "3", "__streams.errors.offset", "1234", "trace-id", "t-1");

        DeadLetter letter = DeadLetter.of(new Location("metering-dlq", 0, 17), bytes("a1"), bytes("x"), headers);

        assertThat(letter.reason()).isEqualTo("SerializationException");
        assertThat(letter.detail()).isEqualTo("unknown schema fingerprint");
        assertThat(letter.source()).isEqualTo(new Location("usage-events", 3, 1234));
    }

    @Test
    void shouldPreferMeterflowsReasonAndSource() {
        RecordHeaders headers = headers("meterflow.reason", "UNDECODABLE", "meterflow.detail", "7 bytes",
                "meterflow.source", "recharge-requests/1/99");

        DeadLetter letter = DeadLetter.of(new Location("recharge-requests-dlq", 1, 4), null, bytes("x"), headers);

        assertThat(letter.reason()).isEqualTo("UNDECODABLE");
        assertThat(letter.source()).isEqualTo(new Location("recharge-requests", 1, 99));
        assertThat(letter.keyText()).isEqualTo("null");
    }

    @Test
    void shouldReadTheSourceOfAReferenceThatCarriesOnlyTheMeteringAppsHeader() {
        // issue 16: reconcile finds an undecodable payment result in metering-dlq by this source
        RecordHeaders headers = headers("meterflow.reason", "UNDECODABLE", "meterflow.copy", "reference",
                "meterflow.source", "payment-results-2@41");

        DeadLetter letter = DeadLetter.of(new Location("metering-dlq", 0, 9), null, null, headers);

        assertThat(letter.source()).isEqualTo(new Location("payment-results", 2, 41));
    }

    @Test
    void shouldRepublishWithTheOriginalHeadersAndWhereItCameFromButNotTheDiagnosis() {
        DeadLetter letter = DeadLetter.of(new Location("metering-dlq", 0, 17), bytes("a1"), bytes("x"),
                headers("__streams.errors.exception", "E", "__streams.errors.topic", "usage-events",
                        "__streams.errors.partition", "0", "__streams.errors.offset", "5", "trace-id", "t-1"));

        List<String> names = new java.util.ArrayList<>();
        for (Header header : letter.republishedHeaders()) {
            names.add(header.key() + "=" + new String(header.value(), StandardCharsets.UTF_8));
        }

        assertThat(names).containsExactly("trace-id=t-1", "meterflow.republished-from=metering-dlq-0@17");
    }

    @Test
    void shouldParseALocationWhoseTopicHoldsDashes() {
        assertThat(Location.parse("recharge-requests-dlq-2@40"))
                .isEqualTo(new Location("recharge-requests-dlq", 2, 40));
        assertThatThrownBy(() -> Location.parse("metering-dlq@4")).hasMessageContaining("topic-partition@offset");
    }

    @Test
    void shouldRefuseToChooseALocationWithoutADeadLetterOrWithoutASource() {
        DeadLetter sourceless = DeadLetter.of(new Location("metering-dlq", 0, 1), null, null, new RecordHeaders());
        List<DeadLetter> letters = List.of(sourceless);

        assertThatThrownBy(() -> DeadLetters.choose(letters, List.of(new Location("metering-dlq", 0, 2)), List.of()))
                .hasMessage("no dead letter at metering-dlq-0@2");
        assertThatThrownBy(() -> DeadLetters.choose(letters, List.of(), List.of("UNKNOWN")))
                .hasMessage("cannot re-publish metering-dlq-0@1: no header says which topic it was read from");
    }

    private static RecordHeaders headers(String... namesAndValues) {
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], bytes(namesAndValues[i + 1]));
        }
        return headers;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
