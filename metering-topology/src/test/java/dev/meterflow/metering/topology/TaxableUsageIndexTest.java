package dev.meterflow.metering.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.pricing.PriceRule;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.Usage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 13: the month the tax run has reached is read from the store once, not for every record and debit. */
class TaxableUsageIndexTest {

    private static final String PLAN = "plan-taxed";
    private static final RatePlan TAXED = new RatePlan() {
        @Override
        public String ratePlanId() {
            return PLAN;
        }

        @Override
        public String currency() {
            return "USD";
        }

        @Override
        public Optional<PriceRule> priceOf(String sku) {
            return Optional.empty();
        }

        @Override
        public boolean taxable(String sku) {
            return true;
        }
    };

    private final AtomicInteger reads = new AtomicInteger();
    private MockProcessorContext<String, Object> context;
    private KeyValueStore<String, TaxableBase> store;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        KeyValueStore<String, TaxableBase> inMemory = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(StoreNames.TAXABLE_USAGE), Serdes.String(), new TaxableBaseSerde())
                .withLoggingDisabled().build();
        inMemory.init(context.getStateStoreContext(), inMemory);
        store = countingReads(inMemory);
        context.addStateStore(store);
    }

    @Test
    void shouldReadTheStoreOnceForARecordAndItsTaxableDebit() {
        TaxableUsageIndex index = newIndex();
        index.closeThrough(YearMonth.of(2026, 10));
        index.add(usage("e-1", "2026-11-05T10:00:00Z"), PLAN, 1_000_000, plan -> Optional.of(TAXED), Optional.empty());
        reads.set(0);

        // what the billing processor does for every usage record: the tax run's check, then the debit's line
        index.closeThrough(YearMonth.of(2026, 10));
        index.add(usage("e-2", "2026-11-05T11:00:00Z"), PLAN, 2_000_000, plan -> Optional.of(TAXED), Optional.empty());

        assertThat(reads).as("the account's November line, nothing else").hasValue(1);
        assertThat(store.get("2026-11|2026-11|acme").micros()).isEqualTo(3_000_000);
    }

    @Test
    void shouldFindTheMonthTheRunReachedInTheStoreWhenTheTaskIsInitialisedAgain() {
        newIndex().closeThrough(YearMonth.of(2026, 10));

        TaxableUsageIndex again = newIndex();
        // late usage of October, whose run has begun and has no line for the account: the next run's late line
        again.add(usage("e-3", "2026-10-31T23:00:00Z"), PLAN, 500_000, plan -> Optional.of(TAXED), Optional.empty());

        assertThat(again.closedThrough()).contains(YearMonth.of(2026, 10));
        assertThat(store.get("2026-11|2026-10|acme").micros()).isEqualTo(500_000);
        assertThat(again.closeThrough(YearMonth.of(2026, 10))).as("closed already").isFalse();
        assertThat(again.closeThrough(YearMonth.of(2026, 11))).isTrue();
        assertThat(newIndex().closedThrough()).contains(YearMonth.of(2026, 11));
    }

    @Test
    void shouldAddLateUsageToItsMonthsLineWhileThatLineIsNotTaxedYet() {
        TaxableUsageIndex index = newIndex();
        index.add(usage("e-4", "2026-10-30T10:00:00Z"), PLAN, 700_000, plan -> Optional.of(TAXED), Optional.empty());
        index.closeThrough(YearMonth.of(2026, 10));

        index.add(usage("e-5", "2026-10-31T23:00:00Z"), PLAN, 300_000, plan -> Optional.of(TAXED), Optional.empty());

        assertThat(store.get("2026-10|2026-10|acme").micros()).isEqualTo(1_000_000);
        assertThat(store.get("2026-11|2026-10|acme")).isNull();
    }

    private TaxableUsageIndex newIndex() {
        return new TaxableUsageIndex(context, new MeteringMetrics(context.metrics(), context.taskId()));
    }

    private static Usage usage(String eventId, String occurredAt) {
        return new Usage(eventId, "acme", "local-minutes", 1, Instant.parse(occurredAt).toEpochMilli());
    }

    @SuppressWarnings("unchecked")
    private KeyValueStore<String, TaxableBase> countingReads(KeyValueStore<String, TaxableBase> delegate) {
        return (KeyValueStore<String, TaxableBase>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("get")) {
                        reads.incrementAndGet();
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
