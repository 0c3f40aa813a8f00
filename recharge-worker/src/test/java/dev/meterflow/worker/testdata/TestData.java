package dev.meterflow.worker.testdata;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** One account's recharge, as the worker sees it: Stripe test tokens and ids, never a card number. */
public final class TestData {

    public static final String ACCOUNT = "acct-acme-plumbing";
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

    public static final Instant NOW = Instant.parse("2025-03-14T09:26:53Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private TestData() {
    }
}
