package dev.meterflow.metering.replay;

import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.topology.AvroMapping;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-publishes parked usage events from {@code usage-unpriced} to {@code usage-events} once their account's
 * settings and rate card can price them. Reads the current settings and rate cards from their compacted
 * topics, then the whole of {@code usage-unpriced} up to its end when the run starts.
 */
public final class UnpricedReplay {

    /** Header on a re-published event: where it was parked, as topic/partition/offset. */
    public static final String REPLAYED_FROM_HEADER = "meterflow.replayed-from";

    private static final Logger log = LoggerFactory.getLogger(UnpricedReplay.class);

    private UnpricedReplay() {
    }

    /** {@link #run(Properties, boolean)} on a cluster that needs no client settings but its address. */
    public static ReplayPlan run(String bootstrapServers, boolean dryRun) {
        Properties client = new Properties();
        client.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return run(client, dryRun);
    }

    /**
     * @param client Kafka client settings for the consumer and the producer: {@code bootstrap.servers} and
     *               whatever the cluster asks for ({@code security.protocol}, {@code sasl.jaas.config}, ...)
     * @param dryRun decide, but publish nothing
     * @return the plan that was carried out (or would have been, for a dry run)
     */
    public static ReplayPlan run(Properties client, boolean dryRun) {
        ReplayPlan plan;
        try (KafkaConsumer<String, byte[]> consumer = consumer(client)) {
            Map<String, BillingSettings> settings = new HashMap<>();
            TopicReader.readToEnd(consumer, Topics.ACCOUNT_SETTINGS.name(), record -> {
                if (record.value() == null) {
                    settings.remove(record.key());
                } else {
                    decode(() -> Topics.ACCOUNT_SETTINGS.valueSerde().deserializer().deserialize(record.topic(),
                            record.value())).ifPresent(s -> settings.put(record.key(), AvroMapping.settings(s)));
                }
            });
            Map<String, RateCard> rateCards = new HashMap<>();
            TopicReader.readToEnd(consumer, Topics.RATE_CARDS.name(), record -> {
                if (record.value() == null) {
                    rateCards.remove(record.key());
                } else {
                    decode(() -> Topics.RATE_CARDS.valueSerde().deserializer().deserialize(record.topic(),
                            record.value())).ifPresent(card -> rateCards.put(record.key(), card));
                }
            });
            List<ReplayPlan.Parked> parked = new ArrayList<>();
            TopicReader.readToEnd(consumer, Topics.USAGE_UNPRICED.name(), record -> decode(() -> Topics.USAGE_UNPRICED.valueSerde()
                    .deserializer().deserialize(record.topic(), record.value()))
                    .ifPresent(event -> parked.add(new ReplayPlan.Parked(record.key(), AvroMapping.usage(event),
                            record.value(), record.partition(), record.offset()))));
            plan = ReplayPlan.of(parked, settings, id -> Optional.ofNullable(rateCards.get(id))
                    .map(AvroMapping::ratePlan));
            log.info("replay planned parked={} replayable={} stillUnpriced={}", parked.size(),
                    plan.toReplay().size(), plan.stillUnpriced());
        }
        if (!dryRun && !plan.toReplay().isEmpty()) {
            publish(client, plan.toReplay());
        }
        return plan;
    }

    private static void publish(Properties client, List<ReplayPlan.Parked> events) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (ReplayPlan.Parked event : events) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(REPLAYED_FROM_HEADER, (Topics.USAGE_UNPRICED.name() + "/" + event.partition() + "/"
                        + event.offset()).getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), null, event.key(), event.payload(),
                        headers));
            }
            producer.flush();
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(Properties client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static <T> Optional<T> decode(java.util.function.Supplier<T> decoder) {
        try {
            return Optional.ofNullable(decoder.get());
        } catch (SerializationException e) {
            log.warn("replay skips an undecodable record: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
