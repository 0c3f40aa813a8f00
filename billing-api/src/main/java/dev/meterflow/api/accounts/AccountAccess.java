package dev.meterflow.api.accounts;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.access.AccessRules;
import dev.meterflow.api.access.Principal;
import dev.meterflow.api.accounts.AccountDao.AccountRow;
import org.jdbi.v3.core.Jdbi;

/** Finds an account the user may see (or change): another's is "unknown", a viewer's write is "forbidden". */
public final class AccountAccess {

    private final Jdbi jdbi;

    public AccountAccess(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public AccountRow toRead(Principal user, String accountId) {
        AccountRow account = jdbi.withExtension(AccountDao.class, dao -> dao.findAccount(accountId))
                .orElseThrow(() -> ApiException.unknownAccount(accountId));
        if (!AccessRules.canSee(user, accountId, account.parentAccountId())) {
            throw ApiException.unknownAccount(accountId);
        }
        return account;
    }

    public AccountRow toChange(Principal user, String accountId) {
        AccountRow account = toRead(user, accountId);
        if (!AccessRules.canChange(user, accountId, account.parentAccountId())) {
            throw new ApiException(403, "read_only", "Your role (" + user.role() + ") can view this account's"
                    + " billing but not change it; ask an account admin.");
        }
        return account;
    }
}
