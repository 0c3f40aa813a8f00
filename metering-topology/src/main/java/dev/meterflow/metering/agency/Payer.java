package dev.meterflow.metering.agency;

import dev.meterflow.metering.ledger.BillingSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which account pays for an account's usage (issue 10, section 5): a sub-account's agency (its
 * {@code parentAccountId}), anyone else themselves; and what a change of agency tells the agencies involved.
 * Pure: no Kafka, no clock.
 */
public final class Payer {

    private Payer() {
    }

    /** The agency billed for this account's usage, or {@code null} when the account pays for itself. */
    public static String agencyOf(BillingSettings settings) {
        return settings == null || settings.parentAccountId() == null ? null : settings.parentAccountId();
    }

    /**
     * Agencies do not nest: an agency that is itself some agency's sub-account cannot be billed for another
     * account (its balance is not the one its own usage is debited from).
     */
    public static boolean canBillSubAccounts(BillingSettings agency) {
        return agencyOf(agency) == null;
    }

    /**
     * What changes when an account's agency goes from {@code before} to {@code after} (either {@code null} for
     * none): the old agency loses it, the new one gains it, in that order.
     */
    public static List<Membership> changes(String accountId, String before, String after) {
        List<Membership> changes = new ArrayList<>();
        if (Objects.equals(before, after)) {
            return changes;
        }
        if (before != null) {
            changes.add(new Membership(before, accountId, false));
        }
        if (after != null) {
            changes.add(new Membership(after, accountId, true));
        }
        return changes;
    }

    /** A sub-account joining ({@code joined}) or leaving an agency. */
    public record Membership(String agencyId, String subAccountId, boolean joined) {
    }
}
