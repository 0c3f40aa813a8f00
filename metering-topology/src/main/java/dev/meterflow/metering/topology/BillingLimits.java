package dev.meterflow.metering.topology;

import java.time.Duration;

/**
 * The billing processor's settings.
 *
 * @param dedupRetention       how long a debited eventId or applied requestId is remembered
 * @param backoffCheckInterval how often accounts whose decline back-off has passed are looked for
 * @param maxUsageAmountMicros a usage event priced above it is parked {@code IMPLAUSIBLE_AMOUNT}
 * @param maxRechargeMicros    settings recharging more than this at once are refused
 * @param maxPaymentMicros     a one-time payment above this is refused
 * @param pendingTimeout       an automatic recharge with no result after this long is reported
 * @param taxRunInterval       how often the wall-clock punctuation of the monthly tax run fires
 * @param taxRunSliceSize      the most tax lines one punctuation (one transaction) debits
 */
record BillingLimits(Duration dedupRetention, Duration backoffCheckInterval, long maxUsageAmountMicros,
                     long maxRechargeMicros, long maxPaymentMicros, Duration pendingTimeout,
                     Duration taxRunInterval, int taxRunSliceSize) {
}
