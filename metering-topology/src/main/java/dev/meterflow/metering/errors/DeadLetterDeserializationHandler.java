package dev.meterflow.metering.errors;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An undecodable record goes to the dead letter queue, bounded in size, and the partition keeps flowing. Only the
 * stream threads meet it: the global stores read raw bytes and decode in their own updater (see
 * {@code GuardedGlobalStore}), because Kafka Streams' dead letter queue does not work on the global thread.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private final BoundedDeadLetterQueue queue = new BoundedDeadLetterQueue();

    @Override
    public void configure(Map<String, ?> configs) {
        queue.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        log.warn("undecodable record dead-lettered topic={} partition={} offset={} bytes={}: {}", context.topic(),
                context.partition(), context.offset(), record.serializedValueSize(), exception.toString());
        return Response.resume(queue.deadLetter(context, record.key(), record.value(), exception));
    }
}
