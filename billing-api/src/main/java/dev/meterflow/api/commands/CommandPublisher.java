package dev.meterflow.api.commands;

import dev.meterflow.api.readmodel.Projection;
import dev.meterflow.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the API's commands to the topics the pipeline reads, with who made them in a header, and waits for
 * the broker to acknowledge (acks=all, idempotent): a write the caller is told about is on the topic.
 */
public final class CommandPublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Duration ackTimeout;

    public CommandPublisher(Properties kafkaProperties, Duration ackTimeout) {
        Properties props = new Properties();
        props.putAll(kafkaProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.ackTimeout = ackTimeout;
    }

    /** Writes the command and waits for the broker; returns where it was written. */
    public <V> RecordMetadata publish(Topic<String, V> topic, String key, V value, String actor) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic.name(),
                key.getBytes(StandardCharsets.UTF_8), topic.valueSerde().serializer().serialize(topic.name(), value));
        record.headers().add(Projection.ACTOR_HEADER, actor.getBytes(StandardCharsets.UTF_8));
        try {
            return producer.send(record).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new CommandNotWritten(topic.name(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /** The broker did not take the command: nothing was changed. */
    public static final class CommandNotWritten extends RuntimeException {
        CommandNotWritten(String topic, Exception cause) {
            super("could not write to " + topic + ": " + cause.getMessage(), cause);
        }
    }
}
