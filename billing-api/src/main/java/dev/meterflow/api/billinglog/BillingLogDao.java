package dev.meterflow.api.billinglog;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.FetchSize;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.core.result.ResultIterable;

/** The billing log's search; SQL in {@code BillingLogDao/<method>.sql} beside this class. */
@UseClasspathSqlLocator
@RegisterConstructorMapper(BillingLogDao.LogLine.class)
public interface BillingLogDao {

    /** A page, newest first, of the matching lines before ({@code beforeAt}, {@code beforeId}). */
    @SqlQuery
    List<LogLine> search(@Bind("accountId") String accountId, @Bind("pattern") String pattern,
                         @Bind("kind") String kind, @Bind("fromAt") Instant from, @Bind("toAt") Instant to,
                         @Bind("beforeAt") Instant beforeAt, @Bind("beforeId") String beforeId,
                         @Bind("limit") int limit);

    /** Every matching line, newest first, read from the server in chunks (inside a transaction). */
    @SqlQuery
    @FetchSize(1000)
    ResultIterable<LogLine> export(@Bind("accountId") String accountId, @Bind("pattern") String pattern,
                                   @Bind("kind") String kind, @Bind("fromAt") Instant from,
                                   @Bind("toAt") Instant to);

    record LogLine(String logId, String accountId, Instant at, String kind, String summary, String actor) {
    }
}
