package dev.meterflow.local.faults;

import dev.meterflow.local.faults.Workload.Send;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends a cycle's records, each to its topic, at a fixed rate while faults are injected; each record is reported
 * delivered, with where it landed, once the broker acknowledged it, or failed (the broker may or may not have it).
 * An endless supply of records is sent until {@link #stop()}.
 */
final class UsageSender implements Runnable {

    private final KafkaProducer<String, byte[]> producer;
    private final Iterable<Send> sends;
    private final int ratePerSecond;
    private final BiConsumer<Send, RecordMetadata> onDelivered;
    private final Consumer<Send> onFailed;
    private final AtomicInteger sent = new AtomicInteger();
    private volatile boolean stopped;

    UsageSender(KafkaProducer<String, byte[]> producer, Iterable<Send> sends, int ratePerSecond,
                BiConsumer<Send, RecordMetadata> onDelivered, Consumer<Send> onFailed) {
        this.producer = producer;
        this.sends = sends;
        this.ratePerSecond = ratePerSecond;
        this.onDelivered = onDelivered;
        this.onFailed = onFailed;
    }

    /** Sends nothing more; the records handed to the producer are still flushed. */
    void stop() {
        stopped = true;
    }

    /** Records handed to the producer so far. */
    int sent() {
        return sent.get();
    }

    @Override
    public void run() {
        long period = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        long next = System.nanoTime();
        for (Send send : sends) {
            if (stopped) {
                break;
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Pacing.pause(Duration.ofNanos(wait));
            }
            next += period;
            producer.send(new ProducerRecord<>(send.topic(), send.key(), send.value()),
                    (metadata, error) -> {
                        if (error == null) {
                            onDelivered.accept(send, metadata);
                        } else {
                            onFailed.accept(send);
                        }
                    });
            sent.incrementAndGet();
        }
        producer.flush();
    }
}
