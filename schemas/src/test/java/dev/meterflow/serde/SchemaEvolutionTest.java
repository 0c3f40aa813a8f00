package dev.meterflow.serde;

import static dev.meterflow.serde.ContractRecords.ACCOUNT_ID;
import static dev.meterflow.serde.ContractRecords.CALL_ENDED_AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** A reader built from the current classes still reads what producers on an older schema wrote. */
class SchemaEvolutionTest {

    /** UsageEvent as it would have been before {@code attributes} (which has a default) was added. */
    private static final Schema USAGE_EVENT_WITHOUT_ATTRIBUTES = withoutField(UsageEvent.getClassSchema(), "attributes");

    @Test
    void shouldReadAnOlderUsageEventWithTheDefaultOfTheFieldItLacks() throws IOException {
        // given: a producer still on the older schema, which the store knows
        byte[] bytes = encodeWithOlderSchema(aCallWithoutAttributes());
        SingleObjectSerde<UsageEvent> serde =
                new SingleObjectSerde<>(UsageEvent.class, new SchemaStore(List.of(USAGE_EVENT_WITHOUT_ATTRIBUTES)));

        // when
        UsageEvent decoded = serde.deserialize("usage-events", bytes);

        // then
        assertThat(decoded.getAttributes()).isEmpty();
        assertThat(decoded).isEqualTo(UsageEvent.newBuilder()
                .setEventId("evt_older_producer")
                .setAccountId(ACCOUNT_ID)
                .setSku("call.minutes.local")
                .setQuantity(187)
                .setOccurredAt(CALL_ENDED_AT)
                .setAttributes(Map.of())
                .build());
    }

    @Test
    void shouldRejectAnOlderUsageEventWhoseSchemaWasNeverReleased() throws IOException {
        // given: the released store has never heard of that older schema
        byte[] bytes = encodeWithOlderSchema(aCallWithoutAttributes());
        long olderFingerprint = SchemaStore.fingerprint(USAGE_EVENT_WITHOUT_ATTRIBUTES);
        assertThat(olderFingerprint).isNotEqualTo(SchemaStore.fingerprint(UsageEvent.getClassSchema()));

        // when / then
        assertThatThrownBy(() -> Topics.USAGE_EVENTS.valueSerde().deserializer().deserialize("usage-events", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("dev.meterflow.schemas.UsageEvent")
                .hasMessageContaining("unknown writer schema fingerprint " + String.format("%016x", olderFingerprint));
    }

    private static GenericRecord aCallWithoutAttributes() {
        return new GenericRecordBuilder(USAGE_EVENT_WITHOUT_ATTRIBUTES)
                .set("eventId", "evt_older_producer")
                .set("accountId", ACCOUNT_ID)
                .set("sku", "call.minutes.local")
                .set("quantity", 187L)
                .set("occurredAt", CALL_ENDED_AT.toEpochMilli())
                .build();
    }

    private static byte[] encodeWithOlderSchema(GenericRecord record) throws IOException {
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), record.getSchema()).encode(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** The same record schema without one of its fields: what the schema was before that field was added. */
    private static Schema withoutField(Schema current, String fieldName) {
        List<Schema.Field> fields = current.getFields().stream()
                .filter(field -> !field.name().equals(fieldName))
                .map(field -> new Schema.Field(field, field.schema()))
                .toList();
        assertThat(fields).hasSize(current.getFields().size() - 1);
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }
}
