package dev.meterflow.metering.errors;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that makes a processor throw goes to the dead letter queue, bounded in size. A store that is not
 * ready is not the record's fault (issue 16, item 3: valid usage was dead-lettered while the rate-card store was
 * closed): the task fails instead, its transaction is aborted, and the record is processed again once the
 * thread is replaced.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private final BoundedDeadLetterQueue queue = new BoundedDeadLetterQueue();

    @Override
    public void configure(Map<String, ?> configs) {
        queue.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (storeNotReady(exception)) {
            log.error("store not ready; failing the task so the record is processed again topic={} partition={}"
                    + " offset={}", context.topic(), context.partition(), context.offset(), exception);
            return Response.fail();
        }
        log.warn("record dead-lettered processor='{}' topic={} partition={} offset={}: {}", context.processorNodeId(),
                context.topic(), context.partition(), context.offset(), exception.toString());
        return Response.resume(queue.deadLetter(context, context.sourceRawKey(), context.sourceRawValue(),
                exception));
    }

    static boolean storeNotReady(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidStateStoreException) {
                return true;
            }
        }
        return false;
    }
}
