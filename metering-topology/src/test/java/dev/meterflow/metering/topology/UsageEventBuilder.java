package dev.meterflow.metering.topology;

import static dev.meterflow.metering.topology.TestData.ACME;
import static dev.meterflow.metering.topology.TestData.LOCAL_MINUTES;
import static dev.meterflow.metering.topology.TestData.START;

import dev.meterflow.schemas.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Test data: {@code aUsageEvent().forAccount(ACME).minutes(3)} is a 3-minute local call of ACME. */
final class UsageEventBuilder {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private String eventId = "evt-" + SEQUENCE.incrementAndGet();
    private String accountId = ACME;
    private String sku = LOCAL_MINUTES;
    private long quantity = 60;
    private Instant occurredAt = START;

    private UsageEventBuilder() {
    }

    static UsageEventBuilder aUsageEvent() {
        return new UsageEventBuilder();
    }

    UsageEventBuilder withEventId(String id) {
        this.eventId = id;
        return this;
    }

    UsageEventBuilder forAccount(String id) {
        this.accountId = id;
        return this;
    }

    UsageEventBuilder sku(String sku) {
        this.sku = sku;
        return this;
    }

    /** A local call of this many seconds. */
    UsageEventBuilder seconds(long seconds) {
        this.quantity = seconds;
        return this;
    }

    /** A local call of this many whole minutes. */
    UsageEventBuilder minutes(long minutes) {
        return seconds(Duration.ofMinutes(minutes).toSeconds());
    }

    /** Base units of the sku (seconds for time, count otherwise). */
    UsageEventBuilder quantity(long quantity) {
        this.quantity = quantity;
        return this;
    }

    UsageEventBuilder at(Instant occurredAt) {
        this.occurredAt = occurredAt;
        return this;
    }

    UsageEvent build() {
        return UsageEvent.newBuilder()
                .setEventId(eventId)
                .setAccountId(accountId)
                .setSku(sku)
                .setQuantity(quantity)
                .setOccurredAt(occurredAt)
                .setAttributes(Map.of("trackingNumber", "+15125550142", "direction", "inbound"))
                .build();
    }
}
