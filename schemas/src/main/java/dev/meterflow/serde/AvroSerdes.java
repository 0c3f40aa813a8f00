package dev.meterflow.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * The one factory for value serdes (DESIGN.md decision 6): today Avro single-object encoding over the
 * released schema store; a registry-backed serde can replace it here without touching the callers.
 */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    public static <T extends SpecificRecord> Serde<T> of(Class<T> type) {
        return new SingleObjectSerde<>(type, SchemaStore.released());
    }
}
