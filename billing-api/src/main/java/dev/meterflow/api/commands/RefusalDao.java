package dev.meterflow.api.commands;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The pipeline's refusals as the read model holds them; SQL in {@code RefusalDao/<method>.sql} beside this class. */
@UseClasspathSqlLocator
public interface RefusalDao {

    /** The message of the refusal of {@code subjectId}'s write made at {@code subjectAt}, if it was refused. */
    @SqlQuery
    Optional<String> refusalMessage(@Bind("kind") String kind, @Bind("subjectId") String subjectId,
                                    @Bind("subjectAt") Instant subjectAt);
}
