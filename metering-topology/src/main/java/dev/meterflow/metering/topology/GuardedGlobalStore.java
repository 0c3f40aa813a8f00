package dev.meterflow.metering.topology;

import dev.meterflow.metering.errors.RefusedRecords;
import dev.meterflow.topics.Topic;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A global store of reference data ({@code rate-cards}, {@code tax-rates}) that no record can
 * stop: the source reads raw bytes, the updater decodes them, and a record it cannot use is parked through
 * {@link RefusedRecords} while the store keeps the previous value. Kafka Streams rebuilds a global store by
 * running the same updater over the topic, so a refused record is refused again then, never stored.
 */
final class GuardedGlobalStore {

    private GuardedGlobalStore() {
    }

    /** Adds the store, its source {@code <topic>-source} and its updater {@code <topic>-updater}. */
    static <V> void add(Topology topology, Topic<String, V> topic, String storeName, RefusedRecords refused,
                        Consumer<String> onChange) {
        add(topology, topic, storeName, refused, onChange, (key, value) -> Optional.empty());
    }

    /**
     * The same, refusing (as {@code INVALID}) a decoded record for which {@code check} gives a reason, so a record
     * that decodes but makes no sense never replaces a good one.
     */
    static <V> void add(Topology topology, Topic<String, V> topic, String storeName, RefusedRecords refused,
                        Consumer<String> onChange, BiFunction<String, V, Optional<String>> check) {
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName), Serdes.String(),
                        topic.valueSerde()).withLoggingDisabled(),
                topic.name() + "-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topic.name(),
                topic.name() + "-updater", () -> new Updater<>(topic, storeName, refused, onChange, check));
    }

    private static final class Updater<V> implements Processor<byte[], byte[], Void, Void> {

        private static final Logger log = LoggerFactory.getLogger(GuardedGlobalStore.class);

        private final Topic<String, V> topic;
        private final String storeName;
        private final RefusedRecords refused;
        private final Consumer<String> onChange;
        private final BiFunction<String, V, Optional<String>> check;
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, V> store;

        Updater(Topic<String, V> topic, String storeName, RefusedRecords refused, Consumer<String> onChange,
                BiFunction<String, V, Optional<String>> check) {
            this.topic = topic;
            this.storeName = storeName;
            this.refused = refused;
            this.onChange = onChange;
            this.check = check;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.store = context.getStateStore(storeName);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            GlobalRecord<V> decoded = checked(GlobalRecord.decode(topic.name(), record.key(), record.value(),
                    topic.valueSerde().deserializer()));
            if (decoded instanceof GlobalRecord.Upsert<V> upsert) {
                store.put(upsert.key(), upsert.value());
                onChange.accept(upsert.key());
            } else if (decoded instanceof GlobalRecord.Delete<V> delete) {
                store.delete(delete.key());
                onChange.accept(delete.key());
            } else if (decoded instanceof GlobalRecord.Refused<V> refusal) {
                refuse(record, refusal);
            }
        }

        private GlobalRecord<V> checked(GlobalRecord<V> decoded) {
            if (decoded instanceof GlobalRecord.Upsert<V> upsert) {
                Optional<String> refusal = check.apply(upsert.key(), upsert.value());
                if (refusal.isPresent()) {
                    return new GlobalRecord.Refused<>("INVALID", refusal.get());
                }
            }
            return decoded;
        }

        private void refuse(Record<byte[], byte[]> record, GlobalRecord.Refused<V> refusal) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            log.error("global record refused, previous value kept store='{}' topic={} partition={} offset={}"
                    + " reason={}: {}", storeName, source.topic(), source.partition(), source.offset(),
                    refusal.reason(), refusal.detail());
            refused.refuse(source.topic(), source.partition(), source.offset(), record.key(), record.value(),
                    refusal.reason(), refusal.detail());
        }
    }
}
