package dev.meterflow.api.access;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Users, sessions and API tokens; the SQL of each method is {@code UserDao/<method>.sql} beside this class. */
@UseClasspathSqlLocator
@RegisterConstructorMapper(UserDao.UserRow.class)
public interface UserDao {

    @SqlUpdate
    void insertUser(@Bind("userId") String userId, @Bind("email") String email,
                    @Bind("passwordHash") String passwordHash, @Bind("role") String role,
                    @Bind("accountId") String accountId);

    @SqlQuery
    Optional<UserRow> findUserByEmail(@Bind("email") String email);

    @SqlUpdate
    void recordFailure(@Bind("userId") String userId, @Bind("failures") int failures,
                       @Bind("lockedUntil") Instant lockedUntil);

    @SqlUpdate
    void insertSession(@Bind("sessionHash") String sessionHash, @Bind("userId") String userId,
                       @Bind("csrfToken") String csrfToken, @Bind("expiresAt") Instant expiresAt);

    @SqlQuery
    Optional<UserRow> findSessionUser(@Bind("sessionHash") String sessionHash, @Bind("now") Instant now);

    @SqlUpdate
    void deleteSession(@Bind("sessionHash") String sessionHash);

    @SqlUpdate
    void insertApiToken(@Bind("tokenHash") String tokenHash, @Bind("userId") String userId,
                        @Bind("name") String name, @Bind("createdAt") Instant createdAt);

    @SqlQuery
    Optional<UserRow> findTokenUser(@Bind("tokenHash") String tokenHash);

    /** @param csrfToken the session's, when the row was found by a session */
    record UserRow(String userId, String email, String passwordHash, String role, String accountId,
                   int failedLogins, Instant lockedUntil, String csrfToken) {
    }
}
