package dev.meterflow.local.topics;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.RateCardBuilder.aRateCard;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.metering.MeteringService;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs caused by an input stamped long ago live their topic's retention from when they were written
 * (ARCHITECTURE.md, "Record times"). Kafka deletes a segment once its newest record time is older than the
 * retention, and rolls a segment as soon as a record arrives more than {@code segment.ms} newer than its first: a
 * recharge request stamped with its 40-day-old usage event's time, first in its segment, was rolled away by its own
 * transaction's commit marker and deleted by the next retention check, before the worker could read it. The topics
 * are as {@link TopicDefinitions} defines them (recharge-requests kept 30 days); only the broker checks retention
 * every half second instead of every five minutes.
 */
class OldInputRetentionIT {

    private static final String ACCOUNT = "acct-late-batch";
    private static final String APPLICATION_ID = "metering-retention-it";

    @TempDir
    static Path stateDir;

    private static EmbeddedKafka kafka;
    private static MeteringService metering;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void startBrokerTopicsAndMetering() throws Exception {
        kafka = EmbeddedKafka.builder()
                .setting("log.retention.check.interval.ms", "500")
                .setting("log.initial.task.delay.ms", "0")
                .start();
        try (Admin admin = kafka.admin()) {
            assertThat(new ProvisionTopics(admin).apply(TopicDefinitions.all(1, (short) 1)).ok()).isTrue();
        }
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        Instant now = Instant.now();
        RateCard rateCard = aRateCard().build();
        send(Topics.RATE_CARDS, rateCard.getRatePlanId(), rateCard, now);
        // recharged up to $50 once the balance goes below $0: the settings alone ask for nothing
        send(Topics.ACCOUNT_SETTINGS, ACCOUNT, settingsFor(ACCOUNT).topUpTo(dollars(50)).whenBelow(0).at(now).build(),
                now);
        producer.flush();

        Properties props = new Properties();
        props.setProperty("bootstrap.servers", kafka.bootstrapServers());
        props.setProperty("application.id", APPLICATION_ID);
        props.setProperty("state.dir", stateDir.toString());
        metering = new MeteringService(MeteringConfig.from(props)).start();
        await().atMost(Duration.ofSeconds(90)).until(() -> !TopicReader.readCommitted(kafka.bootstrapServers(),
                Topics.ACCOUNT_BALANCES.name()).isEmpty());
    }

    @AfterAll
    static void stop() {
        if (metering != null) {
            metering.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldKeepTheRechargeRequestOfAnEventStampedFortyDaysAgoUntilTheWorkerReadsIt() throws Exception {
        // when a call made 40 days ago (a platform's late batch) takes the balance below $0
        Instant fortyDaysAgo = Instant.now().minus(Duration.ofDays(40));
        send(Topics.USAGE_EVENTS, ACCOUNT, aUsageEvent().withEventId("late-call").forAccount(ACCOUNT).minutes(2)
                .at(fortyDaysAgo).build(), fortyDaysAgo);
        producer.flush();
        await().atMost(Duration.ofSeconds(90)).until(OldInputRetentionIT::usageCommitted);

        // and the broker's retention checks have run since (each deletes a record of the same age on a canary topic)
        try (Admin admin = kafka.admin()) {
            awaitRetentionCheck(admin, "retention-canary-1", fortyDaysAgo);
            awaitRetentionCheck(admin, "retention-canary-2", fortyDaysAgo);

            // then the worker can still read the request
            long logStart = earliestOffset(admin, new TopicPartition(Topics.RECHARGE_REQUESTS.name(), 0));
            assertThat(rechargeRequests())
                    .as("recharge requests of %s (recharge-requests-0 starts at offset %d)", ACCOUNT, logStart)
                    .extracting(RechargeRequest::getAccountId).containsExactly(ACCOUNT);
        }
    }

    /** Whether metering has committed its offset past the usage event: its outputs are written. */
    private static boolean usageCommitted() throws ExecutionException, InterruptedException {
        try (Admin admin = kafka.admin()) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(APPLICATION_ID).partitionsToOffsetAndMetadata()
                    .get().get(new TopicPartition(Topics.USAGE_EVENTS.name(), 0));
            return committed != null && committed.offset() >= 1;
        }
    }

    /**
     * A topic kept 7 days with a record stamped {@code old} and one stamped now, which rolls the old one's segment;
     * returns once a retention check has deleted that segment.
     */
    private static void awaitRetentionCheck(Admin admin, String canary, Instant old) throws Exception {
        admin.createTopics(List.of(new NewTopic(canary, 1, (short) 1).configs(Map.of("retention.ms",
                Long.toString(Duration.ofDays(7).toMillis()))))).all().get();
        producer.send(new ProducerRecord<>(canary, null, old.toEpochMilli(), null, new byte[1])).get();
        producer.send(new ProducerRecord<>(canary, null, System.currentTimeMillis(), null, new byte[1])).get();
        TopicPartition partition = new TopicPartition(canary, 0);
        await().atMost(Duration.ofSeconds(90)).until(() -> earliestOffset(admin, partition) == 1);
    }

    private static long earliestOffset(Admin admin, TopicPartition partition)
            throws ExecutionException, InterruptedException {
        return admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).partitionResult(partition).get().offset();
    }

    private static List<RechargeRequest> rechargeRequests() {
        return TopicReader.readCommitted(kafka.bootstrapServers(), Topics.RECHARGE_REQUESTS.name()).stream()
                .map(record -> Topics.RECHARGE_REQUESTS.valueSerde().deserializer()
                        .deserialize(Topics.RECHARGE_REQUESTS.name(), record.value()))
                .toList();
    }

    private static <V> void send(Topic<String, V> topic, String key, V value, Instant timestamp) {
        producer.send(new ProducerRecord<>(topic.name(), null, timestamp.toEpochMilli(),
                key.getBytes(StandardCharsets.UTF_8), topic.valueSerde().serializer().serialize(topic.name(), value)));
    }
}
