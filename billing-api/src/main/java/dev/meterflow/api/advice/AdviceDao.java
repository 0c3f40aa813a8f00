package dev.meterflow.api.advice;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** What the advice reads; SQL in {@code AdviceDao/<method>.sql} beside this class. */
@UseClasspathSqlLocator
@RegisterConstructorMapper(AdviceDao.DaySpend.class)
public interface AdviceDao {

    /** Usage spend per UTC day in [{@code from}, {@code to}). */
    @SqlQuery
    List<DaySpend> dailySpend(@Bind("accountId") String accountId, @Bind("from") LocalDate from,
                              @Bind("to") LocalDate to);

    @SqlQuery
    int autoRechargesSince(@Bind("accountId") String accountId, @Bind("since") Instant since);

    record DaySpend(LocalDate day, long amountMicros) {
    }
}
