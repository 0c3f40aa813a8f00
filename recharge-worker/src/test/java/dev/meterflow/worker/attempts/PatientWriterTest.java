package dev.meterflow.worker.attempts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The attempt-log write waits for the broker however long it is away (RELIABILITY.md: "The recharge worker exits
 * when the broker stays away longer than 30 s while it records an attempt"), with a producer that acknowledges only
 * when told to.
 */
class PatientWriterTest {

    private static final Duration REPORT_EVERY = Duration.ofMillis(50);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ProducerRecord<String, byte[]> ATTEMPT =
            new ProducerRecord<>("recharge-attempts", "rr-1", new byte[] {1, 2, 3});

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final PatientWriter writer = new PatientWriter(producer, REPORT_EVERY, Clock.systemUTC());

    @Test
    void shouldWaitPastManyReportIntervalsAndReturnOnceAcknowledged() {
        CompletableFuture<Void> write = writeInBackground();
        await().atMost(WAIT).until(() -> writer.blockedReason().isPresent());
        assertThat(writer.blockedReason()).hasValueSatisfying(reason ->
                assertThat(reason).startsWith("1 attempt-log write(s) waiting for the broker"));
        // many times the report interval: the write that used to give up after its timeout still waits
        await().pollDelay(REPORT_EVERY.multipliedBy(10)).atMost(WAIT).until(() -> !write.isDone());

        assertThat(producer.completeNext()).isTrue();

        await().atMost(WAIT).until(write::isDone);
        assertThat(write).isCompleted();
        assertThat(producer.history()).hasSize(1);
        assertThat(writer.blockedReason()).isEmpty();
    }

    @Test
    void shouldWriteAgainWhenTheProducerGaveUpWithARetriableError() {
        CompletableFuture<Void> write = writeInBackground();
        await().atMost(WAIT).until(() -> producer.history().size() == 1);

        // the producer's delivery timeout expired while the broker was away
        assertThat(producer.errorNext(new TimeoutException("Expiring 1 record(s): 120000 ms has passed"))).isTrue();
        await().atMost(WAIT).until(() -> producer.history().size() == 2);
        assertThat(write).isNotDone();
        assertThat(writer.blockedReason()).isPresent();
        assertThat(producer.completeNext()).isTrue();

        await().atMost(WAIT).until(write::isDone);
        assertThat(write).isCompleted();
        assertThat(producer.history()).allSatisfy(sent -> assertThat(sent).isEqualTo(ATTEMPT));
        assertThat(writer.blockedReason()).isEmpty();
    }

    @Test
    void shouldFailOnAnErrorThatIsNotTheBrokerBeingAway() {
        CompletableFuture<Void> write = writeInBackground();
        await().atMost(WAIT).until(() -> producer.history().size() == 1);

        assertThat(producer.errorNext(new RecordTooLargeException("too large"))).isTrue();

        await().atMost(WAIT).until(write::isDone);
        assertThatThrownBy(write::join).hasRootCauseInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("cannot record an attempt of request 'rr-1'");
        assertThat(producer.history()).hasSize(1);
        assertThat(writer.blockedReason()).isEmpty();
    }

    private CompletableFuture<Void> writeInBackground() {
        return CompletableFuture.runAsync(() -> writer.write(ATTEMPT, "before the gateway call"));
    }
}
