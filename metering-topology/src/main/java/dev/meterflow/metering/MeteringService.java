package dev.meterflow.metering;

import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.metering.errors.DeadLetterProducer;
import dev.meterflow.metering.topology.MeteringTopology;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running metering topology: Kafka Streams with the bounded thread replacement and a clean close. */
public final class MeteringService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MeteringService.class);

    private final MeteringConfig config;
    private final KafkaStreams streams;
    private final DeadLetterProducer refusedReferenceRecords;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public MeteringService(MeteringConfig config) {
        this.config = config;
        this.refusedReferenceRecords = new DeadLetterProducer(Topics.METERING_DLQ.name(), config.clientProperties());
        this.streams = new KafkaStreams(MeteringTopology.build(config, refusedReferenceRecords),
                config.streamsProperties());
        streams.setUncaughtExceptionHandler(new BoundedThreadReplacement(config.maxThreadReplacements()));
        streams.setStateListener((newState, oldState) -> {
            log.info("metering state {} -> {}", oldState, newState);
            if (newState == KafkaStreams.State.NOT_RUNNING || newState == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        streams.setGlobalStateRestoreListener(new RestoreProgress());
    }

    public MeteringService start() {
        log.info("starting metering application.id='{}' bootstrap.servers='{}'",
                config.get(MeteringConfig.APPLICATION_ID), config.get(MeteringConfig.BOOTSTRAP_SERVERS));
        streams.start();
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Blocks until the topology stops (closed, or shut down after too many thread failures). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Closes within {@code meterflow.shutdown-timeout}: commits what is done, aborts what is not, and leaves the
     * consumer group so the other instances take its partitions over at once instead of after the session
     * timeout.
     */
    @Override
    public void close() {
        log.info("closing metering timeout={}", config.shutdownTimeout());
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(config.shutdownTimeout()));
        refusedReferenceRecords.close();
        stopped.countDown();
    }

    /**
     * Says when a store starts and ends restoring from its changelog: after a crash or a wiped state directory
     * an instance can spend minutes here before it processes anything, and an operator should see why.
     */
    private static final class RestoreProgress implements StateRestoreListener {

        @Override
        public void onRestoreStart(TopicPartition changelog, String store, long startingOffset, long endingOffset) {
            log.info("restore started store='{}' changelog={} records={}", store, changelog,
                    endingOffset - startingOffset);
        }

        @Override
        public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long numRestored) {
        }

        @Override
        public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
            log.info("restore finished store='{}' changelog={} records={}", store, changelog, totalRestored);
        }
    }
}
