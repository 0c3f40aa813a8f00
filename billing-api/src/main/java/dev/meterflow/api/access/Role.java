package dev.meterflow.api.access;

/** What a user may do on the Billing Settings page. */
public enum Role {
    /** Reads and changes one account's billing. */
    ACCOUNT_ADMIN,
    /** Reads one account's billing, changes nothing. */
    BILLING_VIEWER,
    /** Reads and changes the billing of an agency account and of its sub-accounts. */
    AGENCY_ADMIN;

    public boolean canWrite() {
        return this != BILLING_VIEWER;
    }
}
