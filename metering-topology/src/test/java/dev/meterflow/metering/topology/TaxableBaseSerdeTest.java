package dev.meterflow.metering.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.state.AgencyRecord;
import dev.meterflow.metering.state.AgencyRecordKind;
import dev.meterflow.metering.tax.BilledToAgency;
import dev.meterflow.metering.tax.TaxProfile;
import dev.meterflow.serde.SingleObjectSerde;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.serialization.LongSerializer;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, §4: a sub-account's tax profile travels to its agency and is kept on its line of
 * {@code taxable-usage-store}, while what an earlier release stored and sent still reads.
 */
class TaxableBaseSerdeTest {

    private static final String STORE = "taxable-usage-store";

    private final TaxableBaseSerde serde = new TaxableBaseSerde();

    @Test
    void shouldReadALineStoredAsABareLongByTheReleaseBefore() {
        byte[] old = new LongSerializer().serialize(STORE, 41_000_000L);

        assertThat(serde.deserializer().deserialize(STORE, old)).isEqualTo(TaxableBase.of(41_000_000L));
    }

    @Test
    void shouldStoreAnAccountsOwnLineAsTheSameBareLong() {
        assertThat(serde.serializer().serialize(STORE, TaxableBase.of(41_000_000L)))
                .isEqualTo(new LongSerializer().serialize(STORE, 41_000_000L));
    }

    @Test
    void shouldKeepTheAgencyAndTheSubAccountsProfileOnItsLine() {
        TaxableBase line = new TaxableBase(41_000_000L,
                Optional.of(new BilledToAgency("acct-agency", TaxProfile.of("US", "CA", false))));
        TaxableBase exemptWithoutAddress = new TaxableBase(1L,
                Optional.of(new BilledToAgency("acct-agency", TaxProfile.of(null, null, true))));

        assertThat(roundTrip(line)).isEqualTo(line);
        assertThat(roundTrip(exemptWithoutAddress)).isEqualTo(exemptWithoutAddress);
    }

    @Test
    void shouldReadAnAgencyRecordRoutedByTheReleaseBeforeWithoutAProfile() throws Exception {
        Schema v1 = new Schema.Parser().parse(
                getClass().getClassLoader().getResourceAsStream("state-schema-history/AgencyRecord-v1.avsc"));
        GenericRecord old = new GenericData.Record(v1);
        old.put("kind", new GenericData.EnumSymbol(v1.getField("kind").schema(), "USAGE"));
        old.put("agencyAccountId", "acct-agency");
        old.put("subAccountId", "acct-sub");
        old.put("ratePlanId", "plan-pro-2025");
        old.put("usageEvent", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);

        AgencyRecord read = new SingleObjectSerde<>(AgencyRecord.class, StateSchemas.released())
                .deserialize("agency-billing-repartition", bytes.array());

        assertThat(read.getKind()).isEqualTo(AgencyRecordKind.USAGE);
        assertThat(read.getSubAccountId()).isEqualTo("acct-sub");
        assertThat(read.getTaxJurisdiction()).isNull();
        assertThat(read.getTaxExempt()).isFalse();
    }

    private TaxableBase roundTrip(TaxableBase value) {
        return serde.deserializer().deserialize(STORE, serde.serializer().serialize(STORE, value));
    }
}
