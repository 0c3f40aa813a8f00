package dev.meterflow.bench;

import static dev.meterflow.bench.BenchmarkData.ACCOUNT;
import static dev.meterflow.bench.BenchmarkData.CALL_SECONDS;

import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.pricing.PriceRule;
import dev.meterflow.metering.pricing.Pricing;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.Usage;
import dev.meterflow.metering.pricing.UsagePricer;
import dev.meterflow.metering.topology.AvroMapping;
import dev.meterflow.schemas.Price;
import dev.meterflow.schemas.RateCard;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * Pricing one usage event: the arithmetic alone, and {@link UsagePricer} end to end (validation, settings, rate-plan
 * lookup, price) with the rate plans already decoded in a map.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class PricingBenchmark {

    private PriceRule perStartedMinute;
    private long quantity;
    private Usage usage;
    private BillingSettings settings;
    private Function<String, Optional<RatePlan>> ratePlans;

    @Setup
    public void setUp() {
        RateCard card = BenchmarkData.rateCard();
        Price localMinute = card.getPrices().get(BenchmarkData.LOCAL_MINUTES);
        perStartedMinute = new PriceRule(localMinute.getUnitPriceMicros(), localMinute.getUnitSize());
        quantity = CALL_SECONDS;
        usage = AvroMapping.usage(BenchmarkData.localCall());
        settings = AvroMapping.settings(BenchmarkData.accountSettings());
        Map<String, RatePlan> plans = new HashMap<>();
        plans.put(card.getRatePlanId(), AvroMapping.ratePlan(card));
        ratePlans = id -> Optional.ofNullable(plans.get(id));
    }

    @Benchmark
    public Pricing.Charge price() {
        return Pricing.price(quantity, perStartedMinute);
    }

    /** What the processor asks for each usage event, minus the store reads (see {@code MeteringPathBenchmark}). */
    @Benchmark
    public PricingOutcome usagePricer() {
        return UsagePricer.price(ACCOUNT, usage, settings, ratePlans);
    }
}
