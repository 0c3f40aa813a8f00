package dev.meterflow.metering.topology;

/**
 * Every state store and processor node of the metering topology, named once (with explicit names the
 * changelog topics, {@code <application.id>-<store>-changelog}, stay stable when the topology changes).
 */
public final class StoreNames {

    /** Per billing account: balance, status, pending recharge, back-off. */
    public static final String ACCOUNT_STATE = "account-state-store";
    /** Latest {@code AccountSettings} per account. */
    public static final String ACCOUNT_SETTINGS = "account-settings-store";
    /** Debited eventIds (and applied payment results), kept for the dedup horizon. */
    public static final String DEDUP = "dedup-store";
    /**
     * Automatic recharges by the wall-clock time they were asked for ({@code <millis, 19 digits>␟accountId} →
     * requestId), so the overdue ones are found by a range read, not a scan of every account.
     */
    public static final String PENDING_RECHARGES = "pending-recharges-store";
    /** Running daily totals per account, UTC day and sku. */
    public static final String USAGE_ROLLUPS = "usage-rollups-store";
    /**
     * Per agency, its sub-accounts ({@code agencyId␟subAccountId} → subAccountId), kept on the agency's partition
     * so its pause and resume reach every sub-account in the same transaction.
     */
    public static final String AGENCY_MEMBERS = "agency-members-store";
    /**
     * Internal topic (Kafka Streams creates it as {@code <application.id>-agency-billing-repartition}): a
     * sub-account's usage and its joining or leaving an agency, keyed by the agency, to the agency's partition.
     */
    public static final String AGENCY_REPARTITION = "agency-billing-repartition";
    /** Global: every rate card, by rate plan id. */
    public static final String RATE_CARDS = "rate-cards-global-store";
    /**
     * The monthly tax run's index (issue 10, §4): {@code <run yyyy-MM>|<usage yyyy-MM>|accountId} → the taxable
     * usage debited, one entry per account and month still to tax; plus {@code ~closed-through}, the last month
     * whose run has begun. The run reads it in key order, so it never goes through every account of the task.
     */
    public static final String TAXABLE_USAGE = "taxable-usage-store";
    /** Global: every sales tax rate, by jurisdiction ({@code US-CA}). */
    public static final String TAX_RATES = "tax-rates-global-store";

    private StoreNames() {
    }
}
