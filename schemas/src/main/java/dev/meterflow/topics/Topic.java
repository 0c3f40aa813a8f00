package dev.meterflow.topics;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic of the wire contract with its key and value serdes.
 *
 * @param name       the topic name, exactly as in CONTRACT.md
 * @param keySerde   serde of the key
 * @param valueSerde serde of the value
 * @param compacted  whether the topic is compacted (latest value per key) rather than deleted by age
 * @param keyedByAccount whether the key is the account id, so the topic must be co-partitioned with
 *                   every other account-keyed topic
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted,
                          boolean keyedByAccount) {

    @Override
    public String toString() {
        return name;
    }
}
