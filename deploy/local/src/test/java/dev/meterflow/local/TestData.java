package dev.meterflow.local;

import dev.meterflow.money.Money;

/** Names and prices the end-to-end tests share: one rate plan and its skus, money in micros. */
final class TestData {

    static final String PRO_PLAN = "plan-pro-2026";

    static final String LOCAL_MINUTES = "call.minutes.local";
    static final String TOLLFREE_MINUTES = "call.minutes.tollfree";
    static final String LOCAL_NUMBER = "number.local.monthly";
    static final String TRANSCRIPTION_MINUTES = "transcription.minutes";
    static final String CALLER_ID_LOOKUP = "callerid.enhanced.lookup";
    static final String PLAN_FEE = "plan.pro.monthly";

    /** 2.5 cents per started minute. */
    static final long LOCAL_MINUTE_PRICE = 25_000;
    /** 4.5 cents per started minute. */
    static final long TOLLFREE_MINUTE_PRICE = 45_000;
    /** $3.00 per number and month. */
    static final long LOCAL_NUMBER_PRICE = 3_000_000;
    /** 5 cents per started minute. */
    static final long TRANSCRIPTION_MINUTE_PRICE = 50_000;
    /** 1.5 cents per lookup. */
    static final long CALLER_ID_LOOKUP_PRICE = 15_000;

    /** $49.00 a month: the pro plan's fee (price category PLAN_FEE). */
    static final long PLAN_FEE_PRICE = 49_000_000;
    static final long PER_MINUTE = 60;
    static final long PER_ITEM = 1;

    private TestData() {
    }

    static long dollars(long dollars) {
        return Money.dollarsToMicros(dollars);
    }

    static long cents(long cents) {
        return Money.centsToMicros(cents);
    }
}
