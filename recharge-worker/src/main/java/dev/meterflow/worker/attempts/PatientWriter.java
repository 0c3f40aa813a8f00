package dev.meterflow.worker.attempts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes attempt-log records and returns only once the broker acknowledged them, however long it is away. A request
 * thread waiting here has either not called the gateway yet (so nothing is charged until its attempt is durable) or
 * has its answer to record (and a crash meanwhile is safe: the attempt in flight is retried with the same
 * idempotency key). Giving up instead would stop the worker, and recharges with it, for an outage that ends by itself.
 * A write the producer gave up on with a retriable error is sent again: the same key and value, so a copy that did
 * land is harmless on the compacted log. Any other error is not the broker being away, and is thrown.
 */
final class PatientWriter {

    private static final Logger log = LoggerFactory.getLogger(PatientWriter.class);
    private static final Duration RESEND_PAUSE = Duration.ofSeconds(1);

    private final Producer<String, byte[]> producer;
    private final Duration reportEvery;
    private final Clock clock;
    /** The writes under way, each with when it began. */
    private final Map<Object, Instant> waiting = new ConcurrentHashMap<>();

    /**
     * @param reportEvery how long a write waits before it is reported (a WARN line and not ready), and again after
     *                    each further such interval
     */
    PatientWriter(Producer<String, byte[]> producer, Duration reportEvery, Clock clock) {
        this.producer = producer;
        this.reportEvery = reportEvery;
        this.clock = clock;
    }

    /**
     * Returns once {@code record} is acknowledged.
     *
     * @param stage what the request is waiting to do, for the log: {@code before the gateway call} or
     *              {@code after the gateway answered}
     * @throws IllegalStateException for an error that is not the broker being away, or when interrupted
     */
    void write(ProducerRecord<String, byte[]> record, String stage) {
        Instant began = clock.instant();
        Object self = new Object();
        waiting.put(self, began);
        long reports = 0;
        try {
            Future<RecordMetadata> sent = send(record);
            while (true) {
                try {
                    sent.get(reportEvery.toMillis(), TimeUnit.MILLISECONDS);
                    if (reports > 0) {
                        log.info("attempt-log write acknowledged after waiting requestId='{}' stage='{}' waited={}",
                                record.key(), stage, Duration.between(began, clock.instant()));
                    }
                    return;
                } catch (TimeoutException e) {
                    reports++;
                    log.warn("attempt-log write waiting for the broker requestId='{}' topic='{}' stage='{}' waited={}; "
                            + "still waiting, not ready meanwhile", record.key(), record.topic(), stage,
                            Duration.between(began, clock.instant()));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException)) {
                        throw new IllegalStateException("cannot record an attempt of request '" + record.key()
                                + "' on " + record.topic() + ": " + e.getCause(), e.getCause());
                    }
                    reports++;
                    log.warn("attempt-log write not acknowledged requestId='{}' topic='{}' stage='{}' error='{}'; "
                            + "writing it again", record.key(), record.topic(), stage, e.getCause().getMessage());
                    TimeUnit.MILLISECONDS.sleep(RESEND_PAUSE.toMillis());
                    sent = send(record);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording an attempt of " + record.key(), e);
        } finally {
            waiting.remove(self);
        }
    }

    /** Why the attempt log cannot be written now, empty when no write has waited longer than the report interval. */
    Optional<String> blockedReason() {
        Instant reportedBefore = clock.instant().minus(reportEvery);
        List<Instant> late =
                waiting.values().stream().filter(began -> began.isBefore(reportedBefore)).sorted().toList();
        return late.isEmpty() ? Optional.empty() : Optional.of(late.size()
                + " attempt-log write(s) waiting for the broker, the oldest since " + late.get(0));
    }

    /**
     * A send that failed at once with a retriable error is a future like any. The producer's {@code max.block.ms}
     * bounds how long a send waits for the topic's metadata (all of it while the broker is away): set it to the
     * report interval, so that each interval ends with a line in the log.
     */
    private Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        try {
            return producer.send(record);
        } catch (RetriableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
