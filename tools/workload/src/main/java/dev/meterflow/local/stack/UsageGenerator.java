package dev.meterflow.local.stack;

import dev.meterflow.schemas.UsageEvent;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Usage like real accounts' months compressed into minutes: many small events (calls of a few minutes, some
 * transcription, recording and caller-ID lookups) and rare monthly fees (a number or the software fee, one event
 * in 400); about one event in a hundred is re-sent with the same eventId, as a platform retrying after a timeout
 * would. Deterministic for a seed.
 */
public final class UsageGenerator {

    private final AccountChooser accounts;
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
        this(uniform(accounts), accountIds, runId, seed);
    }

    /** @param accounts picks the account (1 .. n) of each new event, e.g. the busy few more often than the rest */
    public UsageGenerator(AccountChooser accounts, IntFunction<String> accountIds, String runId, long seed) {
        this.accounts = accounts;
        this.accountIds = accountIds;
        this.runId = runId;
        this.random = new SplittableRandom(seed);
    }

    public UsageEvent next(Instant now) {
        if (lastEvent != null && random.nextInt(100) == 0) {
            return lastEvent;
        }
        String account = accountIds.apply(accounts.next(random));
        // per 10,000 events: mostly calls of a few minutes; a monthly fee is one event in 400
        int roll = random.nextInt(10_000);
        String sku;
        long quantity;
        if (roll < 6_900) {
            sku = "call.minutes.local";
            quantity = 15 + random.nextInt(300);
        } else if (roll < 8_100) {
            sku = "call.minutes.tollfree";
            quantity = 15 + random.nextInt(420);
        } else if (roll < 8_900) {
            sku = "transcription.minutes";
            quantity = 15 + random.nextInt(300);
        } else if (roll < 9_500) {
            sku = "recording.encrypted.minutes";
            quantity = 15 + random.nextInt(300);
        } else if (roll < 9_975) {
            sku = "callerid.enhanced.lookup";
            quantity = 1;
        } else if (roll < 9_995) {
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

    /** Every account of 1 .. {@code accounts} equally likely. */
    public static AccountChooser uniform(int accounts) {
        return random -> 1 + random.nextInt(accounts);
    }

    /** Which account (1 .. n) the next event belongs to, drawn from the generator's own random source. */
    @FunctionalInterface
    public interface AccountChooser {
        int next(SplittableRandom random);
    }
}
