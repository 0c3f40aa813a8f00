package dev.meterflow.metering.errors;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;

/**
 * Builds the dead letter of a record the topology could not decode or process: Kafka Streams' own record and
 * headers ({@code __streams.errors.*}), or, when that would not fit a produce request, a reference to the
 * original (see {@link DeadLetters}).
 */
final class BoundedDeadLetterQueue {

    private String topic;

    void configure(Map<String, ?> configs) {
        Object name = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (name == null || name.toString().isBlank()) {
            throw new IllegalStateException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " is not set");
        }
        topic = name.toString();
    }

    List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value,
                                                    Exception exception) {
        ProducerRecord<byte[], byte[]> full =
                ExceptionHandlerUtils.buildDeadLetterQueueRecord(topic, key, value, context, exception);
        ProducerRecord<byte[], byte[]> bounded = new ProducerRecord<>(topic, null, key, value,
                DeadLetters.bounded(full.headers()));
        if (DeadLetters.fits(bounded.key(), bounded.value(), bounded.headers())) {
            return List.of(bounded);
        }
        String source = context.topic() + "-" + context.partition() + "@" + context.offset();
        byte[] shortKey = key == null || key.length <= 255 ? key
                : ("sha256:" + DeadLetters.sha256(key)).getBytes(StandardCharsets.UTF_8);
        return List.of(new ProducerRecord<>(topic, null, shortKey, (byte[]) null,
                DeadLetters.referenceHeaders(bounded.headers(), source, value)));
    }
}
