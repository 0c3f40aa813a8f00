package dev.meterflow.gatewaysim;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

/**
 * The simulator's fault knobs. Immutable; change them on a running simulator with
 * {@link GatewaySimulator#updateSettings(SimulatorSettings)} or {@code POST /_sim/settings}.
 *
 * @param latencyMs                        time the gateway spends on every {@code /v1} request before it
 *                                         answers; a create is executing (its idempotency key in use) for
 *                                         this long
 * @param errorRate                        fraction of {@code /v1} requests answered {@code 500 api_error}
 *                                         before anything executes: nothing is charged and nothing is
 *                                         stored under the idempotency key
 * @param rateLimitPerSecond               {@code /v1} requests allowed per second (token bucket, burst of
 *                                         the same size); excess requests get {@code 429}; 0 = unlimited
 * @param timeoutAfterChargeMs             how long the response of a "charge then time out" create is held
 *                                         after the charge is recorded and stored under its idempotency
 *                                         key; 0 = the knob is off
 * @param timeoutAfterChargeRate           fraction of executed creates that are held
 * @param timeoutAfterChargePaymentMethods payment method tokens whose creates are always held
 * @param searchLagMs                      how long a new PaymentIntent stays invisible to search (Stripe's
 *                                         search is eventually consistent); retrieve by id sees it at once
 * @param seed                             seed of the random draws for {@code errorRate} and
 *                                         {@code timeoutAfterChargeRate}, so a sequential test is repeatable
 * @param achSettlementDelayMs             how long a bank debit (ACH) stays {@code processing} after it was created
 *                                         before it settles (succeeded, or returned by the bank); 0 = it settles
 *                                         by the first read after the create, which still answered
 *                                         {@code processing}
 */
public record SimulatorSettings(
        long latencyMs,
        double errorRate,
        int rateLimitPerSecond,
        long timeoutAfterChargeMs,
        double timeoutAfterChargeRate,
        Set<String> timeoutAfterChargePaymentMethods,
        long searchLagMs,
        long seed,
        long achSettlementDelayMs) {

    public static final long DEFAULT_SEED = 42L;

    public SimulatorSettings {
        requireNotNegative("latencyMs", latencyMs);
        requireFraction("errorRate", errorRate);
        requireNotNegative("rateLimitPerSecond", rateLimitPerSecond);
        requireNotNegative("timeoutAfterChargeMs", timeoutAfterChargeMs);
        requireFraction("timeoutAfterChargeRate", timeoutAfterChargeRate);
        requireNotNegative("searchLagMs", searchLagMs);
        requireNotNegative("achSettlementDelayMs", achSettlementDelayMs);
        timeoutAfterChargePaymentMethods = Set.copyOf(timeoutAfterChargePaymentMethods);
    }

    /** No latency, no injected faults, no rate limit: a well-behaved gateway. */
    public static SimulatorSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .latencyMs(latencyMs)
                .errorRate(errorRate)
                .rateLimitPerSecond(rateLimitPerSecond)
                .timeoutAfterChargeMs(timeoutAfterChargeMs)
                .timeoutAfterChargeRate(timeoutAfterChargeRate)
                .timeoutAfterChargePaymentMethods(timeoutAfterChargePaymentMethods)
                .searchLagMs(searchLagMs)
                .seed(seed)
                .achSettlementDelayMs(achSettlementDelayMs);
    }

    private static void requireNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be 0 or more, was " + value);
        }
    }

    private static void requireFraction(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be between 0.0 and 1.0, was " + value);
        }
    }

    public static final class Builder {
        private long latencyMs;
        private double errorRate;
        private int rateLimitPerSecond;
        private long timeoutAfterChargeMs;
        private double timeoutAfterChargeRate;
        private Set<String> timeoutAfterChargePaymentMethods = Set.of();
        private long searchLagMs;
        private long seed = DEFAULT_SEED;
        private long achSettlementDelayMs;

        private Builder() {
        }

        public Builder latencyMs(long latencyMs) {
            this.latencyMs = latencyMs;
            return this;
        }

        public Builder latency(Duration latency) {
            return latencyMs(latency.toMillis());
        }

        public Builder errorRate(double errorRate) {
            this.errorRate = errorRate;
            return this;
        }

        public Builder rateLimitPerSecond(int rateLimitPerSecond) {
            this.rateLimitPerSecond = rateLimitPerSecond;
            return this;
        }

        public Builder timeoutAfterChargeMs(long timeoutAfterChargeMs) {
            this.timeoutAfterChargeMs = timeoutAfterChargeMs;
            return this;
        }

        public Builder timeoutAfterChargeRate(double timeoutAfterChargeRate) {
            this.timeoutAfterChargeRate = timeoutAfterChargeRate;
            return this;
        }

        public Builder timeoutAfterChargePaymentMethods(Set<String> paymentMethods) {
            this.timeoutAfterChargePaymentMethods = Set.copyOf(paymentMethods);
            return this;
        }

        /** Charges with these payment methods are recorded, then their response is held for {@code hold}. */
        public Builder timeoutAfterCharge(Duration hold, String... paymentMethods) {
            return timeoutAfterChargeMs(hold.toMillis())
                    .timeoutAfterChargePaymentMethods(Set.copyOf(Arrays.asList(paymentMethods)));
        }

        public Builder searchLagMs(long searchLagMs) {
            this.searchLagMs = searchLagMs;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder achSettlementDelayMs(long achSettlementDelayMs) {
            this.achSettlementDelayMs = achSettlementDelayMs;
            return this;
        }

        public Builder achSettlementDelay(Duration delay) {
            return achSettlementDelayMs(delay.toMillis());
        }

        public SimulatorSettings build() {
            return new SimulatorSettings(latencyMs, errorRate, rateLimitPerSecond, timeoutAfterChargeMs,
                    timeoutAfterChargeRate, timeoutAfterChargePaymentMethods, searchLagMs, seed,
                    achSettlementDelayMs);
        }
    }
}
