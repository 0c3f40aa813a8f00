package dev.meterflow.serde;

import static dev.meterflow.serde.ContractRecords.CONTRACT_RECORD_TYPES;
import static dev.meterflow.serde.ContractRecords.aLedgerEntry;
import static dev.meterflow.serde.ContractRecords.aUsageEvent;
import static dev.meterflow.serde.ContractRecords.oneOfEachContractRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.UsageEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bytes the serde cannot use fail with a message an operator can act on: which type, which writer schema. */
class SingleObjectSerdeTest {

    private static final String TOPIC = "usage-events";
    private static final String USAGE_EVENT_TYPE = "dev.meterflow.schemas.UsageEvent";
    /** A fingerprint that no released schema has (checked where used). */
    private static final long UNKNOWN_FINGERPRINT = 0x0123_4567_89ab_cdefL;

    private final SingleObjectSerde<UsageEvent> serde = new SingleObjectSerde<>(UsageEvent.class, SchemaStore.released());

    static Stream<Arguments> foreignBytes() {
        byte[] random = new byte[64];
        new Random(20261126L).nextBytes(random);
        return Stream.of(
                Arguments.of("plain JSON", "{\"eventId\":\"evt_1\",\"accountId\":\"acct_7Q2M\"}"
                        .getBytes(StandardCharsets.UTF_8)),
                Arguments.of("random bytes", random),
                Arguments.of("an empty value", new byte[0]),
                Arguments.of("the marker alone", new byte[] {(byte) 0xC3, 0x01}),
                Arguments.of("a header cut inside the fingerprint", new byte[] {(byte) 0xC3, 0x01, 0x2c, (byte) 0xd6}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignBytes")
    void shouldRejectForeignBytesNamingTheRecordTypeAndTheFingerprint(String description, byte[] bytes) {
        // when / then
        assertThatThrownBy(() -> serde.deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(USAGE_EVENT_TYPE)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageMatching("(?s).*fingerprint ([0-9a-f]{16}|none).*");
    }

    @Test
    void shouldSayThereIsNoFingerprintWhenTheHeaderIsTruncated() {
        // given
        byte[] truncated = Arrays.copyOf(serde.serialize(TOPIC, aUsageEvent().build()), 7);

        // when / then
        assertThatThrownBy(() -> serde.deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(USAGE_EVENT_TYPE)
                .hasMessageContaining("fingerprint none (7 bytes)");
    }

    @Test
    void shouldNameAnUnknownWriterFingerprintInHex() {
        // given: a valid header whose fingerprint matches no released schema
        assertThat(SchemaStore.released().findByFingerprint(UNKNOWN_FINGERPRINT)).isNull();
        byte[] bytes = serde.serialize(TOPIC, aUsageEvent().build());
        ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(UNKNOWN_FINGERPRINT);

        // when / then
        assertThatThrownBy(() -> serde.deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(USAGE_EVENT_TYPE)
                .hasMessageContaining("unknown writer schema fingerprint 0123456789abcdef")
                // and nothing in it, nor a cause, shows the fingerprint as a decimal (19 digits read like a card)
                .hasNoCause()
                .message().doesNotContain(Long.toString(UNKNOWN_FINGERPRINT));
    }

    @Test
    void shouldNameTheWriterFingerprintWhenTheBodyIsCut() {
        // given
        byte[] whole = serde.serialize(TOPIC, aUsageEvent().build());
        byte[] cut = Arrays.copyOf(whole, 20);

        // when / then
        assertThatThrownBy(() -> serde.deserialize(TOPIC, cut))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(USAGE_EVENT_TYPE)
                .hasMessageContaining("writer schema fingerprint " + hex(SchemaStore.fingerprint(UsageEvent.getClassSchema())));
    }

    @Test
    void shouldNotReadARecordOfAnotherTypeWrittenToTheWrongTopic() {
        // given: a ledger entry, whose schema is released too, produced to a usage topic by mistake
        byte[] ledgerEntry = new SingleObjectSerde<>(LedgerEntry.class, SchemaStore.released())
                .serialize(TOPIC, aLedgerEntry().build());

        // when / then
        assertThatThrownBy(() -> serde.deserialize(TOPIC, ledgerEntry))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(USAGE_EVENT_TYPE)
                .hasMessageContaining(hex(SchemaStore.fingerprint(LedgerEntry.getClassSchema())));
    }

    @Test
    void shouldNeverDecodeOneContractRecordAsAnother() {
        for (SpecificRecord written : oneOfEachContractRecord()) {
            // given: the released store knows every record's schema, so only schema resolution can refuse
            Class<? extends SpecificRecord> writerType = written.getClass();
            byte[] bytes = encode(writerType, written);
            for (Class<? extends SpecificRecord> readerType : CONTRACT_RECORD_TYPES) {
                if (readerType == writerType) {
                    continue;
                }
                SingleObjectSerde<?> reader = new SingleObjectSerde<>(readerType, SchemaStore.released());

                // when / then
                assertThatThrownBy(() -> reader.deserialize("some-topic", bytes))
                        .as("%s bytes read as %s", writerType.getSimpleName(), readerType.getSimpleName())
                        .isInstanceOf(SerializationException.class)
                        .hasMessageContaining(readerType.getName());
            }
        }
    }

    @Test
    void shouldRejectARecordMissingARequiredFieldNamingTypeTopicAndField() {
        // given: built without the builder's checks, as a careless producer could
        UsageEvent withoutEventId = new UsageEvent();
        withoutEventId.setAccountId("acct_7Q2M");

        // when / then
        assertThatThrownBy(() -> serde.serialize(TOPIC, withoutEventId))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot encode " + USAGE_EVENT_TYPE + " for topic '" + TOPIC + "'")
                .hasMessageContaining("eventId");
    }

    @Test
    void shouldReportTheFingerprintFieldAsUnsignedHex() {
        // given: the CRC-64-AVRO fingerprint, little-endian after the marker
        byte[] header = {(byte) 0xC3, 0x01, (byte) 0xef, (byte) 0xcd, (byte) 0xab, (byte) 0x89, 0x67, 0x45, 0x23,
                (byte) 0xf1};

        // when / then
        assertThat(SingleObjectSerde.fingerprintOf(header)).isEqualTo("f123456789abcdef");
        assertThat(SingleObjectSerde.fingerprintOf(Arrays.copyOf(header, 9))).isEqualTo("none (9 bytes)");
    }

    private static <T extends SpecificRecord> byte[] encode(Class<T> type, SpecificRecord value) {
        return new SingleObjectSerde<>(type, SchemaStore.released()).serialize("some-topic", type.cast(value));
    }

    private static String hex(long fingerprint) {
        return String.format("%016x", fingerprint);
    }
}
