package dev.meterflow.api.statements;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.DateRange;
import dev.meterflow.api.access.Principal;
import dev.meterflow.api.accounts.AccountAccess;
import org.jdbi.v3.core.Jdbi;

/** A statement of one account for a range of UTC days (at most two years, both ends given). */
public final class StatementQueries {

    private final Jdbi jdbi;
    private final AccountAccess access;

    public StatementQueries(Jdbi jdbi, AccountAccess access) {
        this.jdbi = jdbi;
        this.access = access;
    }

    public Statement statement(Principal user, String accountId, String from, String to) {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw ApiException.badRequest("range_required", "A statement needs from and to, as yyyy-mm-dd (UTC),"
                    + " at most two years apart.");
        }
        DateRange range = DateRange.parse(from, to);
        access.toRead(user, accountId);
        return jdbi.inTransaction(handle -> {
            StatementDao dao = handle.attach(StatementDao.class);
            long opening = dao.balanceBefore(accountId, range.from()).orElse(0L);
            return Statement.build(range, opening, dao.lines(accountId, range.from(), range.to()));
        });
    }
}
