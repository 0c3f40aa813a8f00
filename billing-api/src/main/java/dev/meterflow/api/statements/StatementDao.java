package dev.meterflow.api.statements;

import dev.meterflow.api.statements.Statement.DayLine;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** What a statement reads; SQL in {@code StatementDao/<method>.sql} beside this class. */
@UseClasspathSqlLocator
@RegisterConstructorMapper(DayLine.class)
public interface StatementDao {

    @SqlQuery
    List<DayLine> lines(@Bind("accountId") String accountId, @Bind("from") LocalDate from, @Bind("to") LocalDate to);

    /** The closing balance of the last day before {@code from} that has one. */
    @SqlQuery
    Optional<Long> balanceBefore(@Bind("accountId") String accountId, @Bind("from") LocalDate from);
}
