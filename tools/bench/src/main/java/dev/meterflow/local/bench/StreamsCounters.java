package dev.meterflow.local.bench;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * What the metering topology did, from Kafka Streams' own client and store metrics: the records its producers
 * wrote, by topic (changelogs included; transaction markers are not records and are not counted), and the state
 * store reads per record processed.
 */
final class StreamsCounters {

    /** The store operations that read RocksDB (at the DEBUG recording level, as rates). */
    private static final Set<String> READS = Set.of("get-rate", "fetch-rate", "range-rate", "all-rate",
            "prefix-scan-rate");

    private StreamsCounters() {
    }

    /** Records sent by every producer of the topology, summed by topic. */
    static Map<String, Long> recordsWrittenByTopic(Map<MetricName, ? extends Metric> metrics) {
        Map<String, Long> byTopic = new TreeMap<>();
        metrics.forEach((name, metric) -> {
            if (name.group().equals("producer-topic-metrics") && name.name().equals("record-send-total")) {
                byTopic.merge(name.tags().get("topic"), Math.round(value(metric)), Long::sum);
            }
        });
        return byTopic;
    }

    /**
     * Store reads per record processed, by store, as the ratio of windowed rates at this moment; empty when there
     * are no store metrics or nothing was processed. Kafka Streams keeps store reads as rates only, recorded at
     * {@code metrics.recording.level} DEBUG: below it they read zero.
     */
    static Optional<Map<String, Double>> storeReadsPerRecord(Map<MetricName, ? extends Metric> metrics) {
        Map<String, Double> readsByStore = new TreeMap<>();
        double processed = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (name.group().equals("stream-state-metrics") && READS.contains(name.name())) {
                readsByStore.merge(storeName(name), value(entry.getValue()), Double::sum);
            } else if (name.group().equals("stream-thread-metrics") && name.name().equals("process-rate")) {
                processed += value(entry.getValue());
            }
        }
        if (readsByStore.isEmpty() || processed <= 0) {
            return Optional.empty();
        }
        double perRecord = processed;
        readsByStore.replaceAll((store, reads) -> reads / perRecord);
        return Optional.of(readsByStore);
    }

    /** The store's tag is named after its kind ({@code rocksdb-state-id}, {@code rocksdb-window-state-id}, ...). */
    private static String storeName(MetricName name) {
        return name.tags().entrySet().stream().filter(tag -> tag.getKey().endsWith("-state-id"))
                .map(Map.Entry::getValue).findFirst().orElse("unknown");
    }

    private static double value(Metric metric) {
        return metric.metricValue() instanceof Number number && Double.isFinite(number.doubleValue())
                ? number.doubleValue() : 0;
    }
}
