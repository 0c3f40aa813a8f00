package dev.meterflow.metering.topology;

import dev.meterflow.metering.errors.DeadLetters;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Writes a record the billing processor cannot apply to its parking topic with {@code meterflow.reason} and
 * {@code meterflow.detail}; a copy too large for a produce request goes to {@code metering-dlq} as a reference
 * instead (see {@link DeadLetters}), so the record is accounted for and its offset advances. Either is stamped
 * with the wall clock when it is parked, not with the input's time: the parking topics' retention must count
 * from the parking, or a record stamped weeks ago would be deleted before anyone could look at it or replay it.
 */
final class Parking {

    /** On a reference: the topic the record would have been parked on. */
    static final String PARKED_ON_HEADER = "meterflow.parked-on";

    private final ProcessorContext<String, Object> context;

    Parking(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    <V> void park(Record<String, Object> record, V value, Topic<String, V> topic, String sink, String reason,
                  String detail) {
        Headers headers = DeadLetters.bounded(withReason(record.headers(), reason, detail));
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        if (DeadLetters.fits(key, bytes, headers)) {
            context.forward(record.withValue((Object) value).withHeaders(headers)
                    .withTimestamp(context.currentSystemTimeMs()), sink);
            return;
        }
        Headers reference = DeadLetters.referenceHeaders(withReason(new RecordHeaders(), reason, detail),
                source(), bytes);
        reference.add(PARKED_ON_HEADER, topic.name().getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<String, Object>(DeadLetters.boundedKey(record.key()), null,
                context.currentSystemTimeMs(), reference), MeteringTopology.DLQ_SINK);
    }

    private String source() {
        return context.recordMetadata().map(meta -> meta.topic() + "-" + meta.partition() + "@" + meta.offset())
                .orElse("unknown");
    }

    private static Headers withReason(Headers original, String reason, String detail) {
        Headers headers = new RecordHeaders(original.toArray());
        headers.remove(Topics.REASON_HEADER);
        headers.remove(Topics.DETAIL_HEADER);
        headers.add(Topics.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DETAIL_HEADER, detail.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
