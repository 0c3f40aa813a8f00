package dev.meterflow.local.bench;

import dev.meterflow.topics.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the broker and its clients do on this machine without any billing: a producer alone and a consumer alone
 * (what Kafka's {@code kafka-producer-perf-test} and {@code kafka-consumer-perf-test} measure, on the run's own
 * usage records), and a transactional consume-produce copy at the topology's commit interval, the ratio's
 * denominator. Each returns events per second from its first record to its last.
 */
final class BrokerCeiling {

    static final String COPY_OUT = "bench-baseline-out";
    static final String PRODUCER_OUT = "bench-producer-only";
    /** Named like the copy's thread: the consumer's heartbeat thread carries it, so its CPU counts with the copy. */
    private static final String COPY_GROUP = Bench.COPY_THREAD;
    private static final Duration GIVE_UP = Duration.ofMinutes(30);

    private final String bootstrap;
    private final long events;
    private final PrintStream out;

    BrokerCeiling(String bootstrap, long events, PrintStream out) {
        this.bootstrap = bootstrap;
        this.events = events;
        this.out = out;
    }

    /** Sends {@code events} records, cycling through {@code sample}, with the pre-load's producer settings. */
    double producerOnly(List<KeyedValue> sample, Properties producerSettings) {
        out.println("producer only: " + events + " records, acks=all ...");
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < events; i++) {
                KeyedValue record = sample.get((int) (i % sample.size()));
                producer.send(new ProducerRecord<>(PRODUCER_OUT, record.key(), record.value()), (metadata, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records of the producer-only run were not written");
        }
        return events / seconds(start);
    }

    /** Reads the usage from the earliest offset, read_committed, and does nothing with it. */
    double consumerOnly() {
        out.println("consumer only: reading the usage ...");
        Properties props = consumerProps();
        long read = 0;
        long start = 0;
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.USAGE_EVENTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (read < events) {
                requireBefore(deadline, "consumer-only", read);
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (start == 0 && !records.isEmpty()) {
                    start = System.nanoTime();
                }
                read += records.count();
            }
        }
        return read / seconds(start);
    }

    /** The ceiling the ratio is read against: read the usage and write it back out, transactionally. */
    double transactionalCopy(int commitIntervalMs) {
        out.println("baseline: transactional consume -> produce copy of the usage ...");
        Properties consumerProps = consumerProps();
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, COPY_GROUP);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-baseline-copy");
        long copied = 0;
        long start = 0;
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            consumer.subscribe(List.of(Topics.USAGE_EVENTS.name()));
            long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (copied < events) {
                requireBefore(deadline, "baseline copy", copied);
                producer.beginTransaction();
                long commitAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(commitIntervalMs);
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                do {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(20));
                    if (start == 0 && !records.isEmpty()) {
                        start = System.nanoTime(); // like the topology's figure: from the first record
                    }
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        producer.send(new ProducerRecord<>(COPY_OUT, record.key(), record.value()));
                        offsets.put(new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1));
                        copied++;
                    }
                } while (System.nanoTime() < commitAt);
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
                if (System.nanoTime() > nextProgress) {
                    out.printf("  baseline: %,d of %,d copied%n", copied, events);
                    nextProgress += TimeUnit.SECONDS.toNanos(5);
                }
            }
        }
        return copied / seconds(start);
    }

    private Properties consumerProps() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        return props;
    }

    private void requireBefore(long deadline, String what, long done) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(what + " got through " + done + " of " + events + " events in "
                    + GIVE_UP.toMinutes() + " minutes");
        }
    }

    private static double seconds(long startNanos) {
        return Math.max(1, System.nanoTime() - startNanos) / 1e9;
    }

    /** A record's key and value as written to {@code usage-events}. */
    record KeyedValue(byte[] key, byte[] value) {
    }
}
