package dev.meterflow.local.bench;

import java.util.List;
import java.util.Map;

/**
 * What a stream thread was doing in one profile sample, from its stack (frames as {@code class.method}, the top
 * first): by the library of the topmost frame outside the JDK ({@link #self}), so a {@code HashMap.get} called by
 * Kafka Streams' record cache counts as the cache; and by the step of the stream thread's loop it was in
 * ({@link #step}).
 */
final class FrameCategory {

    static final String JDK_ONLY = "JDK only (no library frame)";
    static final String OTHER = "other";

    /** By class-name prefix, the first match wins: the specific Kafka Streams classes before its packages. */
    private static final List<Map.Entry<String, String>> LIBRARIES = List.of(
            Map.entry("org.rocksdb.", "RocksDB (JNI calls)"),
            Map.entry("org.apache.avro.", "Avro encode/decode"),
            Map.entry("dev.meterflow.serde.", "Avro encode/decode"),
            Map.entry("dev.meterflow.schemas.", "Avro encode/decode"),
            Map.entry("dev.meterflow.metering.topology.TaxableBaseSerde", "Avro encode/decode"),
            Map.entry("org.apache.kafka.streams.state.internals.ThreadCache", "Kafka Streams record cache"),
            Map.entry("org.apache.kafka.streams.state.internals.NamedCache", "Kafka Streams record cache"),
            Map.entry("org.apache.kafka.streams.state.internals.Caching", "Kafka Streams record cache"),
            Map.entry("org.apache.kafka.streams.state.internals.LRUCacheEntry", "Kafka Streams record cache"),
            Map.entry("org.apache.kafka.streams.state.internals.RocksDB", "Kafka Streams RocksDB adapter"),
            Map.entry("org.apache.kafka.streams.state.internals.", "Kafka Streams store layers"),
            Map.entry("org.apache.kafka.streams.processor.internals.RecordCollector", "producer: send, batching, records"),
            Map.entry("org.apache.kafka.clients.producer.", "producer: send, batching, records"),
            Map.entry("org.apache.kafka.common.record.", "producer: send, batching, records"),
            Map.entry("org.apache.kafka.common.compress.", "producer: send, batching, records"),
            Map.entry("org.apache.kafka.common.utils.Crc32C", "producer: send, batching, records"),
            Map.entry("org.apache.kafka.clients.consumer.", "consumer: fetch, records"),
            Map.entry("org.apache.kafka.common.serialization.", "key serdes (String, bytes)"),
            Map.entry("org.apache.kafka.common.metrics.", "metrics"),
            Map.entry("org.apache.kafka.streams.processor.internals.metrics.", "metrics"),
            Map.entry("org.slf4j.", "logging"),
            Map.entry("ch.qos.logback.", "logging"),
            Map.entry("dev.meterflow.", "Meterflow: handlers, rules, mapping"),
            Map.entry("org.apache.kafka.streams.", "Kafka Streams (other)"),
            Map.entry("org.apache.kafka.", "Kafka clients (network, protocol, other)"));

    /** By method, searched from the bottom of the stack (the loop's outermost step first). */
    private static final List<Map.Entry<String, String>> STEPS = List.of(
            Map.entry("org.apache.kafka.streams.processor.internals.TaskExecutor.commit", "commit"),
            Map.entry("org.apache.kafka.streams.processor.internals.TaskManager.commit", "commit"),
            Map.entry("org.apache.kafka.streams.processor.internals.StreamThread.maybeCommit", "commit"),
            Map.entry("org.apache.kafka.streams.processor.internals.StreamTask.punctuate", "punctuators"),
            Map.entry("org.apache.kafka.streams.processor.internals.StreamTask.maybePunctuate", "punctuators"),
            Map.entry("org.apache.kafka.streams.processor.internals.StreamThread.pollPhase", "poll"),
            Map.entry("org.apache.kafka.streams.processor.internals.StreamThread.pollRequests", "poll"),
            Map.entry("org.apache.kafka.streams.processor.internals.StreamTask.process", "processing records"),
            Map.entry("org.apache.kafka.streams.processor.internals.TaskExecutor.process", "processing records"),
            Map.entry("org.apache.kafka.streams.processor.internals.StoreChangelogReader.restore", "restoring"));

    private FrameCategory() {
    }

    /** The library of the topmost frame outside the JDK. */
    static String self(List<String> framesTopFirst) {
        for (String frame : framesTopFirst) {
            if (isJdk(frame)) {
                continue;
            }
            return LIBRARIES.stream().filter(entry -> frame.startsWith(entry.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(OTHER);
        }
        return JDK_ONLY;
    }

    /** The topmost frame outside the JDK, as {@code class.method}, or {@link #JDK_ONLY}. */
    static String topFrame(List<String> framesTopFirst) {
        return framesTopFirst.stream().filter(frame -> !isJdk(frame)).findFirst().orElse(JDK_ONLY);
    }

    /** The step of the stream thread's loop: the outermost frame naming one, or {@link #OTHER}. */
    static String step(List<String> framesTopFirst) {
        for (int i = framesTopFirst.size() - 1; i >= 0; i--) {
            String frame = framesTopFirst.get(i);
            for (Map.Entry<String, String> step : STEPS) {
                if (frame.startsWith(step.getKey())) {
                    return step.getValue();
                }
            }
        }
        return OTHER;
    }

    private static boolean isJdk(String frame) {
        return frame.startsWith("java.") || frame.startsWith("jdk.") || frame.startsWith("sun.")
                || frame.startsWith("com.sun.");
    }
}
