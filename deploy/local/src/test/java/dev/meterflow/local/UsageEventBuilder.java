package dev.meterflow.local;

import static dev.meterflow.local.TestData.LOCAL_MINUTES;

import dev.meterflow.schemas.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Test data: {@code aUsageEvent().withEventId("e-1").forAccount("acct-1").minutes(3)} is a 3-minute local call.
 * It happened now unless {@link #at} says otherwise.
 */
final class UsageEventBuilder {

    private String eventId;
    private String accountId;
    private String sku = LOCAL_MINUTES;
    private long quantity = 60;
    private Instant occurredAt = Instant.now();

    private UsageEventBuilder() {
    }

    static UsageEventBuilder aUsageEvent() {
        return new UsageEventBuilder();
    }

    UsageEventBuilder withEventId(String eventId) {
        this.eventId = eventId;
        return this;
    }

    UsageEventBuilder forAccount(String accountId) {
        this.accountId = accountId;
        return this;
    }

    UsageEventBuilder sku(String sku) {
        this.sku = sku;
        return this;
    }

    /** A local call of this many whole minutes. */
    UsageEventBuilder minutes(long minutes) {
        this.sku = LOCAL_MINUTES;
        this.quantity = Duration.ofMinutes(minutes).toSeconds();
        return this;
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
                .setAttributes(Map.of("trackingNumber", "+15125550142"))
                .build();
    }
}
