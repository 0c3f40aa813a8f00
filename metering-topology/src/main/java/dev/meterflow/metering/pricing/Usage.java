package dev.meterflow.metering.pricing;

/** One usage event, as the billing logic sees it. */
public record Usage(String eventId, String accountId, String sku, long quantity, long occurredAtMillis) {
}
