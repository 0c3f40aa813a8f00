package dev.meterflow.metering.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What a raw record of a global (reference data) topic means for its store: an upsert, a delete (a tombstone:
 * compacted reference topics delete keys that way) or a refusal with its reason. Decoding here rather than in
 * Kafka Streams' source keeps a bad record away from the global thread's deserialization handler, which cannot
 * dead-letter (issue 16, item 1).
 */
sealed interface GlobalRecord<V> {

    record Upsert<V>(String key, V value) implements GlobalRecord<V> {
    }

    record Delete<V>(String key) implements GlobalRecord<V> {
    }

    record Refused<V>(String reason, String detail) implements GlobalRecord<V> {
    }

    static <V> GlobalRecord<V> decode(String topic, byte[] key, byte[] value, Deserializer<V> values) {
        if (key == null || key.length == 0) {
            return new Refused<>("NO_KEY", "a record of " + topic + " without a key cannot be stored");
        }
        String id = new String(key, StandardCharsets.UTF_8);
        if (value == null) {
            return new Delete<>(id);
        }
        try {
            V decoded = values.deserialize(topic, value);
            return decoded == null ? new Delete<>(id) : new Upsert<>(id, decoded);
        } catch (RuntimeException e) {
            return new Refused<>("UNDECODABLE", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
