package dev.meterflow.metering;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a stream thread that died of an unexpected exception, a bounded number of times: a transient
 * fault heals, a persistent one (a bug meeting a record) stops the instance instead of looping forever.
 * Under exactly-once the dead thread's open transaction is aborted, so nothing it half-did is visible.
 */
public final class BoundedThreadReplacement implements StreamsUncaughtExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(BoundedThreadReplacement.class);

    /** Kafka Streams names its global thread {@code <client id>-GlobalStreamThread}. */
    static final String GLOBAL_THREAD = "GlobalStreamThread";

    private final int maxReplacements;
    private final AtomicInteger replacements = new AtomicInteger();

    public BoundedThreadReplacement(int maxReplacements) {
        this.maxReplacements = maxReplacements;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        if (Thread.currentThread().getName().contains(GLOBAL_THREAD)) {
            // Kafka Streams cannot replace its global thread (issue 16: "GlobalStreamThread cannot be cast to
            // StreamThread"); stopping the instance lets the process exit and be restarted
            log.error("global stream thread failed; shutting this instance down", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        int replaced = replacements.incrementAndGet();
        if (replaced <= maxReplacements) {
            log.error("stream thread failed; replacing it replacement={} max={}", replaced, maxReplacements, exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        log.error("stream thread failed {} times; shutting this instance down max={}", replaced, maxReplacements,
                exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
