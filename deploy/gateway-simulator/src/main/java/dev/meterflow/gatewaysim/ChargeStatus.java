package dev.meterflow.gatewaysim;

import java.util.Locale;

/** Outcome of one charge attempt at the gateway, as Stripe's Charge {@code status} reports it. */
public enum ChargeStatus {
    SUCCEEDED,
    FAILED;

    /** Stripe's spelling: {@code succeeded}, {@code failed}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
