package dev.meterflow.metering.topology;

import dev.meterflow.money.Money;
import java.time.Instant;

/** Names and amounts the topology tests share: one rate plan, its skus, a start time, money in micros. */
final class TestData {

    /** A Monday afternoon, UTC; every test's wall clock and first record time. */
    static final Instant START = Instant.parse("2025-03-03T14:00:00Z");

    static final String ACME = "acct-acme-plumbing";
    static final String BETA = "acct-beta-dental";

    static final String PRO_PLAN = "plan-pro-2025";

    static final String LOCAL_MINUTES = "call.minutes.local";
    static final String TOLLFREE_MINUTES = "call.minutes.tollfree";
    static final String LOCAL_NUMBER = "number.local.monthly";
    static final String TRANSCRIPTION_MINUTES = "transcription.minutes";
    static final String CALLER_ID_LOOKUP = "callerid.enhanced.lookup";
    static final String RECORDING_MINUTES = "recording.encrypted.minutes";
    static final String SOFTWARE_FEE = "software.monthly";
    static final String PLAN_FEE = "plan.pro.monthly";

    /** 2.5 cents per started minute. */
    static final long LOCAL_MINUTE_PRICE = 25_000;
    /** 4.5 cents per started minute. */
    static final long TOLLFREE_MINUTE_PRICE = 45_000;
    /** $3.00 per number and month. */
    static final long LOCAL_NUMBER_PRICE = 3_000_000;
    /** 5 cents per started minute. */
    static final long TRANSCRIPTION_MINUTE_PRICE = 50_000;
    /** 1.5 cents per lookup: half a cent that a whole-cent recharge must round up. */
    static final long CALLER_ID_LOOKUP_PRICE = 15_000;
    /** 1 cent per started minute. */
    static final long RECORDING_MINUTE_PRICE = 10_000;
    /** $35.00 a month. */
    static final long SOFTWARE_FEE_PRICE = 35_000_000;
    /** $49.00 a month: the pro plan's fee (price category PLAN_FEE). */
    static final long PLAN_FEE_PRICE = 49_000_000;

    private TestData() {
    }

    static long dollars(long dollars) {
        return Money.dollarsToMicros(dollars);
    }
}
