package dev.meterflow.metering;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.schemas.Price;
import dev.meterflow.schemas.PriceCategory;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real in-process broker with every topic of the contract and a producer that stamps each record with the time the
 * test gives (the topology's rules read record time), for the metering topology's integration tests that start the
 * app themselves.
 */
final class MeteringTestBroker implements AutoCloseable {

    /** The rate plan of {@link #standardRateCard(Instant)}. */
    static final String STANDARD_PLAN = "standard";

    private final EmbeddedKafka kafka;
    private final KafkaProducer<byte[], byte[]> producer;

    private MeteringTestBroker(EmbeddedKafka kafka) {
        this.kafka = kafka;
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        this.producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Starts a broker with every topic of {@link Topics#ALL}, {@code partitions} each, compacted where it says. */
    static MeteringTestBroker start(int partitions) {
        EmbeddedKafka kafka = EmbeddedKafka.start(null);
        try {
            kafka.createTopics(Topics.ALL.stream()
                    .map(topic -> new EmbeddedKafka.TopicSpec(topic.name(), partitions, topic.compacted())).toList());
            return new MeteringTestBroker(kafka);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Sends without waiting (call {@link #flush()}), with record time {@code at}. */
    <V> void send(Topic<String, V> topic, String key, V value, Instant at) {
        producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(),
                key.getBytes(StandardCharsets.UTF_8), topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    void flush() {
        producer.flush();
    }

    /** Every value committed on the topic, as a {@code read_committed} consumer reads them. */
    <V> List<V> values(Topic<String, V> topic) {
        return TopicReader.readCommitted(kafka.bootstrapServers(), topic.name()).stream()
                .map(record -> topic.valueSerde().deserializer().deserialize(topic.name(), record.value()))
                .toList();
    }

    /** The standard plan: one price, local call minutes at $0.025 a minute, taxable. */
    static RateCard standardRateCard(Instant updatedAt) {
        return RateCard.newBuilder().setRatePlanId(STANDARD_PLAN).setCurrency("USD").setUpdatedAt(updatedAt)
                .setPrices(Map.of("call.minutes.local", Price.newBuilder().setUnitPriceMicros(25_000).setUnitSize(60)
                        .setCategory(PriceCategory.CALL_MINUTES).setTaxable(true).build()))
                .build();
    }

    @Override
    public void close() {
        producer.close();
        kafka.close();
    }
}
