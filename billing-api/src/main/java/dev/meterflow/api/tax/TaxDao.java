package dev.meterflow.api.tax;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Reads of {@code tax_lines}; SQL in {@code TaxDao/<method>.sql} beside this class. */
@UseClasspathSqlLocator
@RegisterConstructorMapper(TaxDao.TaxLine.class)
public interface TaxDao {

    /** The account's latest tax charges, newest first. */
    @SqlQuery
    List<TaxLine> latest(@Bind("accountId") String accountId, @Bind("limit") int limit);

    record TaxLine(String entryId, Instant occurredAt, long amountMicros, String taxPeriod, String taxJurisdiction,
                   Long taxableBaseMicros, Long taxRatePpm) {
    }
}
