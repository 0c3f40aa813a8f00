package dev.meterflow.bench;

import static dev.meterflow.bench.BenchmarkData.ACCOUNT;
import static dev.meterflow.bench.BenchmarkData.START;
import static dev.meterflow.bench.BenchmarkData.dollars;

import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.Decision;
import dev.meterflow.metering.ledger.Effect;
import dev.meterflow.metering.ledger.Ledger;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.UsagePricer;
import dev.meterflow.metering.state.AccountStateRecord;
import dev.meterflow.metering.topology.AvroMapping;
import dev.meterflow.metering.topology.StoreNames;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.schemas.UsageRollup;
import dev.meterflow.money.Money;
import dev.meterflow.serde.SchemaStore;
import dev.meterflow.serde.SingleObjectSerde;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The metering processor's work for one priced usage event, without Kafka: the same steps as
 * {@code BillingProcessor.onUsage} for an account above its threshold, assembled from the public pieces. The state
 * stores are maps of the bytes RocksDB would hand back, so every read decodes and every write encodes as in the
 * topology. Not modelled: RocksDB itself, the dedup window store's fetch and put, key serialization, the record
 * collector and the producer. The stores are not written back, so every invocation debits the same $40 balance and
 * takes the same branch.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class MeteringPathBenchmark {

    private static final char SEPARATOR = '\u001f';

    private final Ledger ledger = new Ledger(Duration.ofHours(1));

    // held once, as Kafka Streams' sources, stores and sinks hold them
    private Deserializer<UsageEvent> usageSource;
    private Deserializer<AccountSettings> settingsReader;
    private Deserializer<RateCard> rateCardReader;
    private Deserializer<AccountStateRecord> stateReader;
    private Serializer<AccountStateRecord> stateWriter;
    private Deserializer<UsageRollup> rollupReader;
    private Serializer<UsageRollup> rollupWriter;
    private Serializer<UsageRollup> rollupSink;
    private Serializer<LedgerEntry> ledgerSink;
    private Serializer<AccountBalance> balanceSink;
    private Serializer<AccountStatusChanged> statusSink;
    private Serializer<RechargeRequest> rechargeSink;
    private Serializer<BillingNotification> notificationSink;

    private final Map<String, byte[]> settingsStore = new HashMap<>();
    private final Map<String, byte[]> rateCardStore = new HashMap<>();
    private final Map<String, byte[]> stateStore = new HashMap<>();
    private final Map<String, byte[]> rollupStore = new HashMap<>();

    /** What a settings cache and a decoded rate-plan cache would hold: for the what-if benchmark only. */
    private final Map<String, BillingSettings> decodedSettings = new HashMap<>();
    private final Map<String, RatePlan> decodedRatePlans = new HashMap<>();

    private String recordKey;
    private byte[] recordValue;
    private long recordTimestamp;
    private long wallClockMillis;

    @Setup
    public void setUp() {
        usageSource = Topics.USAGE_EVENTS.valueSerde().deserializer();
        Serde<AccountSettings> settingsSerde = Topics.ACCOUNT_SETTINGS.valueSerde();
        settingsReader = settingsSerde.deserializer();
        Serde<RateCard> rateCardSerde = Topics.RATE_CARDS.valueSerde();
        rateCardReader = rateCardSerde.deserializer();
        // as MeteringTopology builds the account-state-store
        Serde<AccountStateRecord> stateSerde = new SingleObjectSerde<>(AccountStateRecord.class, new SchemaStore());
        stateReader = stateSerde.deserializer();
        stateWriter = stateSerde.serializer();
        Serde<UsageRollup> rollupSerde = Topics.USAGE_ROLLUPS.valueSerde();
        rollupReader = rollupSerde.deserializer();
        rollupWriter = rollupSerde.serializer();
        rollupSink = rollupSerde.serializer();
        ledgerSink = Topics.LEDGER_ENTRIES.valueSerde().serializer();
        balanceSink = Topics.ACCOUNT_BALANCES.valueSerde().serializer();
        statusSink = Topics.ACCOUNT_STATUS.valueSerde().serializer();
        rechargeSink = Topics.RECHARGE_REQUESTS.valueSerde().serializer();
        notificationSink = Topics.BILLING_NOTIFICATIONS.valueSerde().serializer();

        UsageEvent event = BenchmarkData.localCall();
        recordKey = event.getAccountId();
        recordValue = Topics.USAGE_EVENTS.valueSerde().serializer().serialize(Topics.USAGE_EVENTS.name(), event);
        recordTimestamp = START.toEpochMilli();
        wallClockMillis = recordTimestamp + 40;

        AccountSettings settings = BenchmarkData.accountSettings();
        RateCard rateCard = BenchmarkData.rateCard();
        settingsStore.put(ACCOUNT, settingsSerde.serializer().serialize(StoreNames.ACCOUNT_SETTINGS, settings));
        rateCardStore.put(rateCard.getRatePlanId(),
                rateCardSerde.serializer().serialize(StoreNames.RATE_CARDS, rateCard));
        AccountState state = new AccountState(dollars(40), false, null, 3, null);
        stateStore.put(ACCOUNT, stateWriter.serialize(StoreNames.ACCOUNT_STATE, AvroMapping.stateRecord(state)));
        LocalDate today = LocalDate.ofInstant(START, ZoneOffset.UTC);
        rollupStore.put(Topics.rollupKey(ACCOUNT, today, event.getSku()),
                rollupWriter.serialize(StoreNames.USAGE_ROLLUPS, UsageRollup.newBuilder()
                        .setAccountId(ACCOUNT)
                        .setDay(today)
                        .setSku(event.getSku())
                        .setQuantity(23_140)
                        .setAmountMicros(10_175_000)
                        .setEventCount(117)
                        .build()));

        decodedSettings.put(ACCOUNT, AvroMapping.settings(settings));
        decodedRatePlans.put(rateCard.getRatePlanId(), AvroMapping.ratePlan(rateCard));
        expectDebitOnly(event, state);
    }

    /** The per-event path as the processor runs it today. */
    @Benchmark
    public void usageEvent(Blackhole blackhole) {
        UsageEvent event = usageSource.deserialize(Topics.USAGE_EVENTS.name(), recordValue);
        onUsage(event, settingsFromStore(recordKey), this::ratePlanFromStore, blackhole);
    }

    /**
     * Not how the processor works today: the same path with the account's settings and the rate plan kept decoded,
     * to show what caching them would save.
     */
    @Benchmark
    public void usageEventWithCachedSettingsAndRatePlan(Blackhole blackhole) {
        UsageEvent event = usageSource.deserialize(Topics.USAGE_EVENTS.name(), recordValue);
        onUsage(event, decodedSettings.get(recordKey), id -> Optional.ofNullable(decodedRatePlans.get(id)),
                blackhole);
    }

    // BillingProcessor.onUsage, for an event that prices and is not a duplicate
    private void onUsage(UsageEvent event, BillingSettings settings, Function<String, Optional<RatePlan>> ratePlans,
                         Blackhole blackhole) {
        PricingOutcome outcome = UsagePricer.price(recordKey, AvroMapping.usage(event), settings, ratePlans);
        if (!(outcome instanceof PricingOutcome.Priced priced)) {
            throw new IllegalStateException("benchmark data does not price: " + outcome);
        }
        String dedupKey = 'u' + String.valueOf(SEPARATOR) + recordKey + SEPARATOR + event.getEventId();
        AccountState state = AvroMapping.state(
                stateReader.deserialize(StoreNames.ACCOUNT_STATE, stateStore.get(recordKey)));
        Decision decision = ledger.applyUsage(state, settings, priced, recordTimestamp);
        blackhole.consume(dedupKey);
        blackhole.consume("usage:" + event.getEventId());
        rollUp(priced, blackhole);
        apply(state, decision, blackhole);
    }

    /** Fails the setup when the data no longer takes the common branch: a debit that changes only the balance. */
    private void expectDebitOnly(UsageEvent event, AccountState state) {
        BillingSettings settings = decodedSettings.get(ACCOUNT);
        PricingOutcome outcome = UsagePricer.price(recordKey, AvroMapping.usage(event), settings,
                id -> Optional.ofNullable(decodedRatePlans.get(id)));
        if (!(outcome instanceof PricingOutcome.Priced priced)) {
            throw new IllegalStateException("benchmark data does not price: " + outcome);
        }
        Decision decision = ledger.applyUsage(state, settings, priced, recordTimestamp);
        if (decision.effects().size() != 1 || !(decision.effects().get(0) instanceof Effect.Posted)) {
            throw new IllegalStateException("expected a plain debit but the ledger decided " + decision.effects());
        }
    }

    private BillingSettings settingsFromStore(String accountId) {
        byte[] stored = settingsStore.get(accountId);
        return stored == null ? null
                : AvroMapping.settings(settingsReader.deserialize(StoreNames.ACCOUNT_SETTINGS, stored));
    }

    private Optional<RatePlan> ratePlanFromStore(String ratePlanId) {
        byte[] stored = rateCardStore.get(ratePlanId);
        return stored == null ? Optional.empty() : Optional.of(AvroMapping.ratePlan(
                rateCardReader.deserialize(StoreNames.RATE_CARDS, stored)));
    }

    // BillingProcessor.rollUp: read, add, write the store (encodes once) and forward (the sink encodes again)
    private void rollUp(PricingOutcome.Priced priced, Blackhole blackhole) {
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(priced.usage().occurredAtMillis()), ZoneOffset.UTC);
        String key = Topics.rollupKey(priced.usage().accountId(), day, priced.usage().sku());
        UsageRollup current = rollupReader.deserialize(StoreNames.USAGE_ROLLUPS, rollupStore.get(key));
        UsageRollup next = UsageRollup.newBuilder()
                .setAccountId(priced.usage().accountId())
                .setDay(day)
                .setSku(priced.usage().sku())
                .setQuantity(Math.addExact(current == null ? 0 : current.getQuantity(), priced.usage().quantity()))
                .setAmountMicros(Money.add(current == null ? 0 : current.getAmountMicros(), priced.amountMicros()))
                .setEventCount(Math.addExact(current == null ? 0 : current.getEventCount(), 1))
                .build();
        blackhole.consume(rollupWriter.serialize(StoreNames.USAGE_ROLLUPS, next));
        blackhole.consume(rollupSink.serialize(Topics.USAGE_ROLLUPS.name(), next));
    }

    // BillingProcessor.apply: store the new state, forward the effects, then the balance
    private void apply(AccountState before, Decision decision, Blackhole blackhole) {
        AccountState after = decision.state();
        if (!after.equals(before)) {
            blackhole.consume(stateWriter.serialize(StoreNames.ACCOUNT_STATE, AvroMapping.stateRecord(after)));
        }
        for (Effect effect : decision.effects()) {
            blackhole.consume(forward(effect));
        }
        if (after.balanceMicros() != before.balanceMicros() || after.paused() != before.paused()
                || !Objects.equals(after.pending(), before.pending())) {
            blackhole.consume(balanceSink.serialize(Topics.ACCOUNT_BALANCES.name(),
                    AvroMapping.balance(recordKey, after, wallClockMillis)));
        }
    }

    private byte[] forward(Effect effect) {
        if (effect instanceof Effect.Posted posted) {
            return ledgerSink.serialize(Topics.LEDGER_ENTRIES.name(),
                    AvroMapping.ledgerEntry(posted.posting(), wallClockMillis));
        } else if (effect instanceof Effect.StatusChanged change) {
            return statusSink.serialize(Topics.ACCOUNT_STATUS.name(), AvroMapping.statusChanged(change));
        } else if (effect instanceof Effect.RechargeRequested request) {
            return rechargeSink.serialize(Topics.RECHARGE_REQUESTS.name(), AvroMapping.rechargeRequest(request));
        } else if (effect instanceof Effect.Notify notify) {
            return notificationSink.serialize(Topics.BILLING_NOTIFICATIONS.name(), AvroMapping.notification(notify));
        }
        throw new IllegalStateException("a usage debit does not decide " + effect);
    }
}
