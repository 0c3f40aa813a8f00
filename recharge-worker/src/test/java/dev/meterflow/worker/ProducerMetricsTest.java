package dev.meterflow.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * After the worker replaces a fenced producer, its Kafka client metrics are the new producer's: the replacement has
 * the same client id, so the meters of the closed producer used to stay in the registry and hide the new ones.
 */
class ProducerMetricsTest {

    private static final String SENT = "kafka.producer.record.send.total";
    private static final MetricName RECORD_SEND_TOTAL = new MetricName("record-send-total", "producer-metrics",
            "records sent", Map.of("client-id", "producer-recharge-worker-1"));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProducerMetrics metrics = new ProducerMetrics(registry, Duration.ofSeconds(10));

    @Test
    void shouldReportTheReplacementProducerOnceItIsBound() {
        metrics.bind(producerHavingSent(7));
        assertThat(sent()).isEqualTo(7.0);

        metrics.bind(producerHavingSent(42));

        assertThat(registry.find(SENT).meters()).hasSize(1);
        assertThat(sent()).isEqualTo(42.0);
        assertThat(registry.find(SENT).meter().getId().getTag("client.id")).isEqualTo("producer-recharge-worker-1");
    }

    @Test
    void shouldRemoveTheProducerMetersWhenClosed() {
        metrics.bind(producerHavingSent(7));

        metrics.close();

        assertThat(registry.find(SENT).meters()).isEmpty();
    }

    private double sent() {
        Meter meter = registry.find(SENT).meter();
        assertThat(meter).as("meter %s", SENT).isNotNull();
        return meter.measure().iterator().next().getValue();
    }

    private static MockProducer<String, byte[]> producerHavingSent(double records) {
        MockProducer<String, byte[]> producer =
                new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        producer.setMockMetrics(RECORD_SEND_TOTAL, new Metric() {
            @Override
            public MetricName metricName() {
                return RECORD_SEND_TOTAL;
            }

            @Override
            public Object metricValue() {
                return records;
            }
        });
        return producer;
    }
}
