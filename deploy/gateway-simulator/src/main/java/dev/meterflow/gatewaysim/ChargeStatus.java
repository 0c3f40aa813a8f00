package dev.meterflow.gatewaysim;

import java.util.Locale;

/** Outcome of one charge attempt at the gateway, as Stripe's Charge {@code status} reports it. */
public enum ChargeStatus {
    /** A bank debit sent and not settled yet: it may still succeed or be returned. */
    PENDING,
    SUCCEEDED,
    FAILED;

    /** Stripe's spelling: {@code succeeded}, {@code failed}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
