package dev.meterflow.metering.pricing;

/**
 * Why a decodable usage event cannot be debited (the {@code meterflow.reason} header on {@code usage-unpriced}).
 * {@link #replayable()} tells whether fixing settings or rate cards can make it priceable, so that the replay
 * command can re-publish it.
 */
public enum UnpricedReason {
    BLANK_EVENT_ID(false),
    BLANK_SKU(false),
    NEGATIVE_QUANTITY(false),
    ACCOUNT_KEY_MISMATCH(false),
    NO_SETTINGS(true),
    /** The agency a sub-account is billed to is itself some agency's sub-account: agencies do not nest. */
    AGENCY_BILLING_UNSUPPORTED(true),
    NO_RATE_CARD(true),
    UNSUPPORTED_CURRENCY(true),
    NO_PRICE(true),
    INVALID_PRICE(true),
    AMOUNT_OVERFLOW(false),
    /** Priced above {@code meterflow.usage.max-amount}: most likely a unit or quantity error upstream. */
    IMPLAUSIBLE_AMOUNT(false),
    /** Larger than any real event (an id, sku or attributes of absurd size): its outputs would not fit a record. */
    OVERSIZED_EVENT(false);

    private final boolean replayable;

    UnpricedReason(boolean replayable) {
        this.replayable = replayable;
    }

    public boolean replayable() {
        return replayable;
    }
}
