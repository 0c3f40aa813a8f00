package dev.meterflow.local.stack;

import dev.meterflow.schemas.UsageEvent;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Realistic usage for the seeded accounts: mostly call minutes, some transcription, recording and caller-ID
 * lookups, the odd number or software fee; about one event in a hundred is re-sent with the same eventId,
 * as a platform retrying after a timeout would. Deterministic for a seed.
 */
public final class UsageGenerator {

    private final int accounts;
    private final IntFunction<String> accountIds;
    private final String runId;
    private final SplittableRandom random;
    private long sequence;
    private UsageEvent lastEvent;

    /** For the seeded accounts ({@link SeedData#accountId}). */
    public UsageGenerator(int accounts, String runId, long seed) {
        this(accounts, SeedData::accountId, runId, seed);
    }

    /** @param accountIds the id of account 1 .. {@code accounts} */
    public UsageGenerator(int accounts, IntFunction<String> accountIds, String runId, long seed) {
        this.accounts = accounts;
        this.accountIds = accountIds;
        this.runId = runId;
        this.random = new SplittableRandom(seed);
    }

    public UsageEvent next(Instant now) {
        if (lastEvent != null && random.nextInt(100) == 0) {
            return lastEvent;
        }
        String account = accountIds.apply(1 + random.nextInt(accounts));
        int roll = random.nextInt(1000);
        String sku;
        long quantity;
        if (roll < 600) {
            sku = "call.minutes.local";
            quantity = 5 + random.nextInt(900);
        } else if (roll < 750) {
            sku = "call.minutes.tollfree";
            quantity = 5 + random.nextInt(1200);
        } else if (roll < 850) {
            sku = "transcription.minutes";
            quantity = 30 + random.nextInt(600);
        } else if (roll < 920) {
            sku = "recording.encrypted.minutes";
            quantity = 30 + random.nextInt(900);
        } else if (roll < 990) {
            sku = "callerid.enhanced.lookup";
            quantity = 1;
        } else if (roll < 998) {
            sku = "number.local.monthly";
            quantity = 1 + random.nextInt(3);
        } else {
            sku = "software.monthly";
            quantity = 1;
        }
        lastEvent = UsageEvent.newBuilder()
                .setEventId("evt-" + runId + "-" + (++sequence))
                .setAccountId(account)
                .setSku(sku)
                .setQuantity(quantity)
                .setOccurredAt(now)
                .setAttributes(Map.of("source", "local-stack"))
                .build();
        return lastEvent;
    }
}
