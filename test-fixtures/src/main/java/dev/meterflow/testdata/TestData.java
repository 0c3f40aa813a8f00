package dev.meterflow.testdata;

import dev.meterflow.money.Money;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Names and amounts the tests share: accounts, one rate plan and its skus, Stripe test tokens (never a card number),
 * fixed times, money in micros.
 */
public final class TestData {

    /** A Monday afternoon, UTC; every topology test's wall clock and first record time. */
    public static final Instant START = Instant.parse("2025-03-03T14:00:00Z");
    /** The recharge worker tests' wall clock, and their requests' time less two seconds. */
    public static final Instant NOW = Instant.parse("2025-03-14T09:26:53Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    public static final String ACME = "acct-acme-plumbing";
    /** The account the recharge worker tests charge: {@link #ACME}. */
    public static final String ACCOUNT = ACME;
    public static final String BETA = "acct-beta-dental";
    /** ACME's customer at the gateway, the payment methods' default. */
    public static final String CUSTOMER = "cus_Q1acmePlumbing";

    /** Shaped like the topology's ids: {@code rr-<account>-<sequence>-<hash of the cause>}. */
    public static final String REQUEST_ID = "rr-acct-acme-plumbing-7-3f9a2c1e";
    public static final String NEXT_REQUEST_ID = "rr-acct-acme-plumbing-8-b41d07aa";

    public static final String VISA = "pm_card_visa";
    public static final String MASTERCARD = "pm_card_mastercard";
    public static final String AMEX = "pm_card_amex";
    /** Stripe's test bank account that settles; {@code pm_usBankAccount_insufficientFunds} is returned R01. */
    public static final String BANK = "pm_usBankAccount_success";

    public static final List<String> BILLING_EMAILS =
            List.of("billing@acmeplumbing.example", "owner@acmeplumbing.example");
    public static final String CRITICAL_BILLING_PHONE = "+15555550142";

    public static final String PRO_PLAN = "plan-pro-2025";

    public static final String LOCAL_MINUTES = "call.minutes.local";
    public static final String TOLLFREE_MINUTES = "call.minutes.tollfree";
    public static final String LOCAL_NUMBER = "number.local.monthly";
    public static final String TRANSCRIPTION_MINUTES = "transcription.minutes";
    public static final String CALLER_ID_LOOKUP = "callerid.enhanced.lookup";
    public static final String RECORDING_MINUTES = "recording.encrypted.minutes";
    public static final String SOFTWARE_FEE = "software.monthly";
    public static final String PLAN_FEE = "plan.pro.monthly";

    /** 2.5 cents per started minute. */
    public static final long LOCAL_MINUTE_PRICE = 25_000;
    /** 4.5 cents per started minute. */
    public static final long TOLLFREE_MINUTE_PRICE = 45_000;
    /** $3.00 per number and month. */
    public static final long LOCAL_NUMBER_PRICE = 3_000_000;
    /** 5 cents per started minute. */
    public static final long TRANSCRIPTION_MINUTE_PRICE = 50_000;
    /** 1.5 cents per lookup: half a cent that a whole-cent recharge must round up. */
    public static final long CALLER_ID_LOOKUP_PRICE = 15_000;
    /** 1 cent per started minute. */
    public static final long RECORDING_MINUTE_PRICE = 10_000;
    /** $35.00 a month. */
    public static final long SOFTWARE_FEE_PRICE = 35_000_000;
    /** $49.00 a month: the pro plan's fee (price category PLAN_FEE). */
    public static final long PLAN_FEE_PRICE = 49_000_000;
    /** Unit sizes: time is priced per started minute of seconds, everything else per item. */
    public static final long PER_MINUTE = 60;
    public static final long PER_ITEM = 1;

    private TestData() {
    }

    public static long dollars(long dollars) {
        return Money.dollarsToMicros(dollars);
    }

    public static long cents(long cents) {
        return Money.centsToMicros(cents);
    }
}
