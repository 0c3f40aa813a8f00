package dev.meterflow.metering.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Issue 16, items 2 and 3: dead letters always fit a produce request; a closed store is not a bad record. */
class DeadLetterHandlersTest {

    private static final Map<String, String> CONFIG =
            Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "metering-dlq");

    @Test
    void shouldFailTheTaskInsteadOfDeadLetteringWhenAStoreIsNotReady() {
        DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
        handler.configure(CONFIG);
        Exception closed = new StreamsException(new InvalidStateStoreException(
                "Store rate-cards-global-store is currently closed"));

        ProcessingExceptionHandler.Response response = handler.handleError(context(new byte[10]),
                new Record<>("acct-1", "value", 0L), closed);

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void shouldDeadLetterARecordThatMakesTheProcessorThrow() {
        DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
        handler.configure(CONFIG);
        byte[] value = "raw".getBytes(StandardCharsets.UTF_8);

        ProcessingExceptionHandler.Response response = handler.handleError(context(value),
                new Record<>("acct-1", null, 0L), new IllegalArgumentException("cannot bill a null value"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.topic()).isEqualTo("metering-dlq");
            assertThat(deadLetter.value()).isEqualTo(value);
            assertThat(header(deadLetter.headers(), "__streams.errors.message")).isEqualTo("cannot bill a null value");
        });
    }

    @Test
    void shouldDeadLetterAReferenceWhenTheCopyWouldNotFit() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(CONFIG);
        byte[] garbage = new byte[1_048_000];
        Arrays.fill(garbage, (byte) 7);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("usage-events", 3, 42L,
                "acct-1".getBytes(StandardCharsets.UTF_8), garbage);

        DeserializationExceptionHandler.Response response = handler.handleError(context(garbage), record,
                new SerializationException("not Avro single-object encoded"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> reference = response.deadLetterQueueRecords().get(0);
        assertThat(reference.value()).isNull();
        assertThat(DeadLetters.fits(reference.key(), reference.value(), reference.headers())).isTrue();
        assertThat(header(reference.headers(), DeadLetters.SOURCE_HEADER)).isEqualTo("usage-events-3@42");
        assertThat(header(reference.headers(), DeadLetters.SIZE_HEADER)).isEqualTo("1048000");
        assertThat(header(reference.headers(), DeadLetters.SHA256_HEADER)).isEqualTo(DeadLetters.sha256(garbage));
        assertThat(header(reference.headers(), "__streams.errors.offset")).isEqualTo("42");
    }

    @Test
    void shouldParkARefusedGlobalRecordAsItIsOrAsAReference() {
        byte[] small = "garbage".getBytes(StandardCharsets.UTF_8);
        byte[] large = new byte[1_048_000];

        ProducerRecord<byte[], byte[]> copy = DeadLetterProducer.deadLetter("metering-dlq", "rate-cards", 0, 7L,
                "plan-pro".getBytes(StandardCharsets.UTF_8), small, "UNDECODABLE", "not Avro");
        ProducerRecord<byte[], byte[]> reference = DeadLetterProducer.deadLetter("metering-dlq", "rate-cards", 0, 8L,
                "plan-pro".getBytes(StandardCharsets.UTF_8), large, "UNDECODABLE", "not Avro");

        assertThat(copy.value()).isEqualTo(small);
        assertThat(header(copy.headers(), "meterflow.reason")).isEqualTo("UNDECODABLE");
        assertThat(header(copy.headers(), "__streams.errors.topic")).isEqualTo("rate-cards");
        assertThat(header(copy.headers(), DeadLetters.SOURCE_HEADER)).isEqualTo("rate-cards-0@7");
        assertThat(reference.value()).isNull();
        assertThat(header(reference.headers(), DeadLetters.SOURCE_HEADER)).isEqualTo("rate-cards-0@8");
        assertThat(header(reference.headers(), DeadLetters.SIZE_HEADER)).isEqualTo("1048000");
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static ErrorHandlerContext context(byte[] rawValue) {
        return new ErrorHandlerContext() {
            public String topic() {
                return "usage-events";
            }

            public int partition() {
                return 3;
            }

            public long offset() {
                return 42L;
            }

            public Headers headers() {
                return new RecordHeaders();
            }

            public String processorNodeId() {
                return "billing-processor";
            }

            public TaskId taskId() {
                return new TaskId(1, 3);
            }

            public long timestamp() {
                return 0L;
            }

            public byte[] sourceRawKey() {
                return "acct-1".getBytes(StandardCharsets.UTF_8);
            }

            public byte[] sourceRawValue() {
                return rawValue;
            }
        };
    }
}
