package dev.meterflow.metering.topology;

import dev.meterflow.metering.state.TaxableLineRecord;
import dev.meterflow.metering.tax.BilledToAgency;
import dev.meterflow.metering.tax.TaxProfile;
import dev.meterflow.serde.SingleObjectSerde;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of {@link StoreNames#TAXABLE_USAGE}'s values. A line an account paid itself (and the run's
 * {@code ~closed-through} month) is the bare 8-byte long it was before sub-account lines existed, so the store and
 * its changelog written by an earlier release read unchanged; a sub-account's line is a single-object Avro
 * {@link TaxableLineRecord}, never 8 bytes long (2 marker bytes and an 8-byte fingerprint come first).
 */
final class TaxableBaseSerde implements Serde<TaxableBase> {

    private static final int LONG_BYTES = Long.BYTES;

    private final SingleObjectSerde<TaxableLineRecord> records =
            new SingleObjectSerde<>(TaxableLineRecord.class, StateSchemas.released());
    private final LongSerializer longs = new LongSerializer();
    private final LongDeserializer longReader = new LongDeserializer();

    @Override
    public Serializer<TaxableBase> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            return value.agency().isEmpty() ? longs.serialize(topic, value.micros())
                    : records.serialize(topic, record(value.micros(), value.agency().get()));
        };
    }

    @Override
    public Deserializer<TaxableBase> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            return data.length == LONG_BYTES ? TaxableBase.of(longReader.deserialize(topic, data))
                    : base(records.deserialize(topic, data));
        };
    }

    private static TaxableLineRecord record(long micros, BilledToAgency agency) {
        return TaxableLineRecord.newBuilder()
                .setBaseMicros(micros)
                .setAgencyAccountId(agency.agencyId())
                .setTaxJurisdiction(agency.profile().jurisdiction().orElse(null))
                .setTaxExempt(agency.profile().exempt())
                .build();
    }

    private static TaxableBase base(TaxableLineRecord record) {
        TaxProfile profile = new TaxProfile(Optional.ofNullable(record.getTaxJurisdiction()), record.getTaxExempt());
        return new TaxableBase(record.getBaseMicros(),
                Optional.of(new BilledToAgency(record.getAgencyAccountId(), profile)));
    }
}
