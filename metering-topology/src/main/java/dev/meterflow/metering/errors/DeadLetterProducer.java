package dev.meterflow.metering.errors;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parks the records a global store refuses on the dead letter queue, with the same error headers as Kafka
 * Streams' own dead letters plus {@code meterflow.reason}, {@code meterflow.detail} and {@code meterflow.source}
 * ({@code topic-partition@offset}). Every instance reads every record of a global topic, and again when it
 * rebuilds the store, so a refused record is parked once per reading: {@code meterflow.source} identifies it.
 */
public final class DeadLetterProducer implements RefusedRecords, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProducer.class);

    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    public DeadLetterProducer(String topic, Properties clientProperties) {
        this.topic = topic;
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "metering-global-dead-letters");
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void refuse(String sourceTopic, int partition, long offset, byte[] key, byte[] value, String reason,
                       String detail) {
        ProducerRecord<byte[], byte[]> record = deadLetter(topic, sourceTopic, partition, offset, key, value, reason,
                detail);
        producer.send(record, (metadata, exception) -> {
            if (exception != null) {
                log.error("refused record not parked topic={} partition={} offset={} reason={}", sourceTopic,
                        partition, offset, reason, exception);
            }
        });
    }

    /** The dead letter of a refused record: the record itself, or a reference when it would not fit. */
    static ProducerRecord<byte[], byte[]> deadLetter(String dlq, String sourceTopic, int partition, long offset,
                                                     byte[] key, byte[] value, String reason, String detail) {
        String source = sourceTopic + "-" + partition + "@" + offset;
        Headers headers = new RecordHeaders();
        headers.add(ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_NAME, bytes(reason));
        headers.add(ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_MESSAGE_NAME, bytes(detail));
        headers.add(ExceptionHandlerUtils.HEADER_ERRORS_TOPIC_NAME, bytes(sourceTopic));
        headers.add(ExceptionHandlerUtils.HEADER_ERRORS_PARTITION_NAME, bytes(Integer.toString(partition)));
        headers.add(ExceptionHandlerUtils.HEADER_ERRORS_OFFSET_NAME, bytes(Long.toString(offset)));
        headers.add("meterflow.reason", bytes(reason));
        headers.add("meterflow.detail", bytes(detail));
        headers.add(DeadLetters.SOURCE_HEADER, bytes(source));
        Headers bounded = DeadLetters.bounded(headers);
        if (DeadLetters.fits(key, value, bounded)) {
            return new ProducerRecord<>(dlq, null, key, value, bounded);
        }
        return new ProducerRecord<>(dlq, null, (byte[]) null, (byte[]) null,
                DeadLetters.referenceHeaders(bounded, source, value));
    }

    @Override
    public void close() {
        producer.close();
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
