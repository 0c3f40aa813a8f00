package dev.meterflow.testdata;

import static dev.meterflow.testdata.TestData.ACME;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;
import static dev.meterflow.testdata.TestData.START;

import dev.meterflow.schemas.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Test data: {@code aUsageEvent().forAccount(ACME).minutes(3)} is a 3-minute local call of ACME. */
public final class UsageEventBuilder {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private String eventId = "evt-" + SEQUENCE.incrementAndGet();
    private String accountId = ACME;
    private String sku = LOCAL_MINUTES;
    private long quantity = 60;
    private Instant occurredAt = START;

    private UsageEventBuilder() {
    }

    public static UsageEventBuilder aUsageEvent() {
        return new UsageEventBuilder();
    }

    public UsageEventBuilder withEventId(String id) {
        this.eventId = id;
        return this;
    }

    public UsageEventBuilder forAccount(String id) {
        this.accountId = id;
        return this;
    }

    public UsageEventBuilder sku(String sku) {
        this.sku = sku;
        return this;
    }

    /** A local call of this many seconds. */
    public UsageEventBuilder seconds(long seconds) {
        this.quantity = seconds;
        return this;
    }

    /** A local call of this many whole minutes. */
    public UsageEventBuilder minutes(long minutes) {
        return seconds(Duration.ofMinutes(minutes).toSeconds());
    }

    /** Base units of the sku (seconds for time, count otherwise). */
    public UsageEventBuilder quantity(long quantity) {
        this.quantity = quantity;
        return this;
    }

    public UsageEventBuilder at(Instant occurredAt) {
        this.occurredAt = occurredAt;
        return this;
    }

    public UsageEvent build() {
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
