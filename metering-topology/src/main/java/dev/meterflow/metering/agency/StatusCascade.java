package dev.meterflow.metering.agency;

import dev.meterflow.metering.ledger.Effect;
import java.util.Collection;
import java.util.List;

/**
 * A sub-account's {@code account-status} follows its agency's (issue 10, section 5: the telephony platform reads
 * status per sub-account): every sub-account pauses and resumes with the agency, starts with the agency's status
 * when it joins, and shows its own again when it leaves. Pure: no Kafka, no clock.
 */
public final class StatusCascade {

    public static final String AGENCY_PAUSED = "AGENCY_PAUSED";
    public static final String AGENCY_RESUMED = "AGENCY_RESUMED";
    public static final String JOINED_AGENCY_PAUSED = "JOINED_AGENCY_PAUSED";
    public static final String JOINED_AGENCY_ACTIVE = "JOINED_AGENCY_ACTIVE";
    public static final String LEFT_AGENCY = "LEFT_AGENCY";

    private StatusCascade() {
    }

    /** The agency paused or resumed: the same status for each of its sub-accounts, with the agency's balance. */
    public static List<Effect.StatusChanged> follow(Effect.StatusChanged agency, Collection<String> subAccounts) {
        String reason = agency.paused() ? AGENCY_PAUSED : AGENCY_RESUMED;
        return subAccounts.stream()
                .map(sub -> new Effect.StatusChanged(sub, agency.paused(), reason, agency.balanceMicros(),
                        agency.atMillis()))
                .toList();
    }

    /**
     * A sub-account joined an agency: it is told the agency's status at once (paused if the agency is), since
     * from now on that is the status it has.
     */
    public static Effect.StatusChanged joined(String subAccountId, boolean agencyPaused, long agencyBalanceMicros,
                                              long atMillis) {
        return new Effect.StatusChanged(subAccountId, agencyPaused,
                agencyPaused ? JOINED_AGENCY_PAUSED : JOINED_AGENCY_ACTIVE, agencyBalanceMicros, atMillis);
    }

    /**
     * A sub-account left its agency and pays for itself again: its status is its own balance's (an account that
     * never had a balance of its own starts at zero, active).
     */
    public static Effect.StatusChanged left(String accountId, boolean ownPaused, long ownBalanceMicros,
                                            long atMillis) {
        return new Effect.StatusChanged(accountId, ownPaused, LEFT_AGENCY, ownBalanceMicros, atMillis);
    }
}
