package dev.meterflow.bench;

import static dev.meterflow.bench.BenchmarkData.ACCOUNT;
import static dev.meterflow.bench.BenchmarkData.CALL_SECONDS;
import static dev.meterflow.bench.BenchmarkData.LOCAL_MINUTES;
import static dev.meterflow.bench.BenchmarkData.RATE_PLAN;
import static dev.meterflow.bench.BenchmarkData.SOFTWARE_FEE;
import static dev.meterflow.bench.BenchmarkData.START;
import static dev.meterflow.bench.BenchmarkData.dollars;

import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.Decision;
import dev.meterflow.metering.ledger.Effect;
import dev.meterflow.metering.ledger.Ledger;
import dev.meterflow.metering.ledger.PaymentOutcome;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.UsagePricer;
import dev.meterflow.metering.topology.AvroMapping;
import dev.meterflow.schemas.UsageEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * The ledger decision for one record. Every benchmark applies the same record to the same state, so each
 * invocation takes the same branch: the state is not carried over from one invocation to the next.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class LedgerBenchmark {

    private static final String PENDING_REQUEST = "rr-" + ACCOUNT + "-4-5e0c1f2a";

    private Ledger ledger;
    private BillingSettings settings;
    private long nowMillis;

    /** $40: well above the $15 threshold, where almost every usage event finds an account. */
    private AccountState wellAboveThreshold;
    private PricingOutcome.Priced localCall;

    /** $20, then the $35 monthly fee: crosses the threshold and zero at once, so it pauses and asks for a recharge. */
    private AccountState justAboveThreshold;
    private PricingOutcome.Priced monthlyFee;

    /** Paused at -$15 with a $65 top-up pending, which succeeds: credit, resume, nothing more to ask. */
    private AccountState pausedAwaitingRecharge;
    private PaymentOutcome rechargeSucceeded;
    private PaymentOutcome rechargeDeclined;

    @Setup
    public void setUp() {
        ledger = new Ledger(Duration.ofHours(1));
        settings = AvroMapping.settings(BenchmarkData.accountSettings());
        nowMillis = START.toEpochMilli();
        RatePlan plan = AvroMapping.ratePlan(BenchmarkData.rateCard());

        wellAboveThreshold = new AccountState(dollars(40), false, null, 3, null);
        localCall = priced(BenchmarkData.usageEvent("evt-01JNB4Q6K2Z8X3M5R7T9V1W3Y5", LOCAL_MINUTES, CALL_SECONDS),
                plan);
        justAboveThreshold = new AccountState(dollars(20), false, null, 3, null);
        monthlyFee = priced(BenchmarkData.usageEvent("evt-01JNB4Q6K2Z8X3M5R7T9V1W3Y6", SOFTWARE_FEE, 1), plan);

        pausedAwaitingRecharge = new AccountState(dollars(-15), true,
                new AccountState.PendingRecharge(PENDING_REQUEST, 6_500, nowMillis - 2_000,
                        dev.meterflow.metering.recharge.RechargePolicy.fingerprint(settings.paymentMethods())), 4, null);
        rechargeSucceeded = new PaymentOutcome(PENDING_REQUEST, ACCOUNT, PaymentOutcome.Status.SUCCEEDED, 6_500,
                nowMillis);
        rechargeDeclined = new PaymentOutcome(PENDING_REQUEST, ACCOUNT, PaymentOutcome.Status.DECLINED, 6_500,
                nowMillis);

        expectEffects(ledger.applyUsage(wellAboveThreshold, settings, localCall, nowMillis), Effect.Posted.class);
        expectEffects(ledger.applyUsage(justAboveThreshold, settings, monthlyFee, nowMillis), Effect.Posted.class,
                Effect.StatusChanged.class, Effect.Notify.class, Effect.RechargeRequested.class);
        expectEffects(ledger.applyPaymentResult(pausedAwaitingRecharge, settings, rechargeSucceeded, nowMillis),
                Effect.Posted.class, Effect.StatusChanged.class, Effect.Notify.class);
        expectEffects(ledger.applyPaymentResult(pausedAwaitingRecharge, settings, rechargeDeclined, nowMillis));
    }

    /** The common case: a debit that changes nothing but the balance. */
    @Benchmark
    public Decision debitAboveThreshold() {
        return ledger.applyUsage(wellAboveThreshold, settings, localCall, nowMillis);
    }

    /** The busiest debit: posting, pause, its notification and a recharge request. */
    @Benchmark
    public Decision debitCrossingThresholdPausesAndRequestsRecharge() {
        return ledger.applyUsage(justAboveThreshold, settings, monthlyFee, nowMillis);
    }

    /** A succeeded recharge: credit, resume and its notification. */
    @Benchmark
    public Decision rechargeSucceededResumes() {
        return ledger.applyPaymentResult(pausedAwaitingRecharge, settings, rechargeSucceeded, nowMillis);
    }

    /** A declined recharge: clear the pending request and start the back-off (fingerprints the methods). */
    @Benchmark
    public Decision rechargeDeclinedBacksOff() {
        return ledger.applyPaymentResult(pausedAwaitingRecharge, settings, rechargeDeclined, nowMillis);
    }

    private PricingOutcome.Priced priced(UsageEvent event, RatePlan plan) {
        PricingOutcome outcome = UsagePricer.price(ACCOUNT, AvroMapping.usage(event), settings,
                id -> RATE_PLAN.equals(id) ? Optional.of(plan) : Optional.empty());
        if (outcome instanceof PricingOutcome.Priced priced) {
            return priced;
        }
        throw new IllegalStateException("benchmark data does not price: " + outcome);
    }

    /** Fails the setup when the data no longer takes the branch a benchmark is named after. */
    private static void expectEffects(Decision decision, Class<?>... kinds) {
        List<Class<?>> actual = decision.effects().stream().<Class<?>>map(Object::getClass).toList();
        if (!actual.equals(List.of(kinds))) {
            throw new IllegalStateException("expected effects " + List.of(kinds) + " but the ledger decided " + actual);
        }
    }
}
