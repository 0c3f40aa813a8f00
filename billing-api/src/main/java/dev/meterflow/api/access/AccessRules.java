package dev.meterflow.api.access;

import java.util.Objects;

/** Who may see and change which account: a pure rule over the user and the account's parent. */
public final class AccessRules {

    private AccessRules() {
    }

    /**
     * An admin or viewer sees their own account; an agency admin also sees the accounts whose parent is the
     * agency. Anything else is as if the account did not exist (404, not 403: no hint that it does).
     */
    public static boolean canSee(Principal user, String accountId, String parentAccountId) {
        if (user.accountId().equals(accountId)) {
            return true;
        }
        return user.role() == Role.AGENCY_ADMIN && Objects.equals(user.accountId(), parentAccountId);
    }

    public static boolean canChange(Principal user, String accountId, String parentAccountId) {
        return canSee(user, accountId, parentAccountId) && user.role().canWrite();
    }
}
