package dev.meterflow.bench;

import static dev.meterflow.bench.BenchmarkData.START;

import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.Posting;
import dev.meterflow.metering.topology.AvroMapping;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The topic serdes (Avro single-object encoding) on the records the metering processor reads and writes for
 * every usage event. The serializers and deserializers are taken once, as a Kafka Streams source or sink does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class SerdeBenchmark {

    private Serializer<UsageEvent> usageSerializer;
    private Deserializer<UsageEvent> usageDeserializer;
    private Deserializer<AccountSettings> settingsDeserializer;
    private Deserializer<RateCard> rateCardDeserializer;
    private Serializer<LedgerEntry> ledgerSerializer;

    private UsageEvent usageEvent;
    private byte[] usageBytes;
    private byte[] settingsBytes;
    private byte[] rateCardBytes;
    private LedgerEntry ledgerEntry;

    @Setup
    public void setUp() {
        usageSerializer = Topics.USAGE_EVENTS.valueSerde().serializer();
        usageDeserializer = Topics.USAGE_EVENTS.valueSerde().deserializer();
        settingsDeserializer = Topics.ACCOUNT_SETTINGS.valueSerde().deserializer();
        rateCardDeserializer = Topics.RATE_CARDS.valueSerde().deserializer();
        ledgerSerializer = Topics.LEDGER_ENTRIES.valueSerde().serializer();

        usageEvent = BenchmarkData.localCall();
        usageBytes = usageSerializer.serialize(Topics.USAGE_EVENTS.name(), usageEvent);
        settingsBytes = Topics.ACCOUNT_SETTINGS.valueSerde().serializer()
                .serialize(Topics.ACCOUNT_SETTINGS.name(), BenchmarkData.accountSettings());
        rateCardBytes = Topics.RATE_CARDS.valueSerde().serializer()
                .serialize(Topics.RATE_CARDS.name(), BenchmarkData.rateCard());
        Posting posting = new Posting("usage:" + usageEvent.getEventId(), BenchmarkData.ACCOUNT,
                BenchmarkData.ACCOUNT, Posting.Kind.USAGE, usageEvent.getSku(), usageEvent.getQuantity(), -100_000,
                39_900_000, usageEvent.getEventId(), START.toEpochMilli());
        ledgerEntry = AvroMapping.ledgerEntry(posting, START.toEpochMilli() + 40);
    }

    @Benchmark
    public byte[] usageEventSerialize() {
        return usageSerializer.serialize(Topics.USAGE_EVENTS.name(), usageEvent);
    }

    @Benchmark
    public UsageEvent usageEventDeserialize() {
        return usageDeserializer.deserialize(Topics.USAGE_EVENTS.name(), usageBytes);
    }

    /** What {@code account-settings-store} costs per usage event before the conversion. */
    @Benchmark
    public AccountSettings accountSettingsDeserialize() {
        return settingsDeserializer.deserialize(Topics.ACCOUNT_SETTINGS.name(), settingsBytes);
    }

    /** The processor's settings read for every usage event: decode from the store's bytes, then convert. */
    @Benchmark
    public BillingSettings accountSettingsDeserializeAndConvert() {
        return AvroMapping.settings(settingsDeserializer.deserialize(Topics.ACCOUNT_SETTINGS.name(), settingsBytes));
    }

    /** The processor's rate-card read for every usage event ({@code rate-cards-global-store}): all eight skus. */
    @Benchmark
    public RateCard rateCardDeserialize() {
        return rateCardDeserializer.deserialize(Topics.RATE_CARDS.name(), rateCardBytes);
    }

    @Benchmark
    public byte[] ledgerEntrySerialize() {
        return ledgerSerializer.serialize(Topics.LEDGER_ENTRIES.name(), ledgerEntry);
    }
}
