package dev.meterflow.api.accounts;

import dev.meterflow.api.access.AccessRules;
import dev.meterflow.api.access.Principal;
import dev.meterflow.api.accounts.AccountDao.AccountRow;
import dev.meterflow.money.Money;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * An agency's sub-accounts with their status and balance. An agency admin sees them all; anyone else sees the
 * account only if it is theirs, so an admin of a sub-account asking for its own gets none and for the agency's
 * gets "unknown account".
 */
public final class SubAccounts {

    private final Jdbi jdbi;
    private final AccountAccess access;

    public SubAccounts(Jdbi jdbi, AccountAccess access) {
        this.jdbi = jdbi;
        this.access = access;
    }

    public List<SubAccount> list(Principal user, String accountId) {
        access.toRead(user, accountId);
        return jdbi.withExtension(AccountDao.class, dao -> dao.subAccounts(accountId)).stream()
                .filter(row -> AccessRules.canSee(user, row.accountId(), row.parentAccountId()))
                .map(SubAccount::of).toList();
    }

    /** One sub-account as the agency's list shows it. */
    public record SubAccount(String accountId, String status, String statusReason, Long balanceMicros,
                             String balance) {
        static SubAccount of(AccountRow row) {
            return new SubAccount(row.accountId(), row.status(), row.statusReason(), row.balanceMicros(),
                    row.balanceMicros() == null ? null : Money.format(row.balanceMicros()));
        }
    }
}
