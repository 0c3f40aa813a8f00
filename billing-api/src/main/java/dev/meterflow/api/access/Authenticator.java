package dev.meterflow.api.access;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.access.UserDao.UserRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Sign-in by password (sessions) and by API token; users are created here with an Argon2id hash. */
public final class Authenticator {

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

    private final Jdbi jdbi;
    private final PasswordEncoder passwords = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    private final String unknownUserHash;
    private final LoginPolicy policy;
    private final LoginRateLimit rateLimit;
    private final Duration sessionLifetime;
    private final Clock clock;

    public Authenticator(Jdbi jdbi, LoginPolicy policy, LoginRateLimit rateLimit, Duration sessionLifetime,
                         Clock clock) {
        this.jdbi = jdbi;
        this.policy = policy;
        this.rateLimit = rateLimit;
        this.sessionLifetime = sessionLifetime;
        this.clock = clock;
        // an unknown email costs the same hash as a known one, so timing does not tell which emails exist
        this.unknownUserHash = passwords.encode(Secrets.randomToken(""));
    }

    public String createUser(String email, String password, Role role, String accountId) {
        if (password.length() < 12) {
            throw ApiException.badRequest("weak_password", "A password needs at least 12 characters.");
        }
        String userId = "u-" + Secrets.randomToken("").substring(0, 16);
        jdbi.useExtension(UserDao.class, dao -> dao.insertUser(userId, email, passwords.encode(password),
                role.name(), accountId));
        return userId;
    }

    /** Checks the password and opens a session; every refusal says what to do next. */
    public Session login(String email, String password, String client) {
        if (!rateLimit.tryAcquire(client)) {
            throw new ApiException(429, "too_many_attempts", "Too many sign-in attempts from your address;"
                    + " wait a minute and try again.");
        }
        Instant now = Instant.now(clock);
        Optional<UserRow> found = jdbi.withExtension(UserDao.class, dao -> dao.findUserByEmail(email));
        if (found.isEmpty()) {
            passwords.matches(password, unknownUserHash);
            throw badCredentials();
        }
        UserRow user = found.get();
        if (policy.isLocked(user.lockedUntil(), now)) {
            throw new ApiException(423, "locked_out", "Too many wrong passwords: sign-in is locked until "
                    + user.lockedUntil() + " (UTC). Ask an account admin if you need access sooner.");
        }
        if (!passwords.matches(password, user.passwordHash())) {
            LoginPolicy.Failure failure = policy.afterFailure(user.failedLogins(), now);
            jdbi.useExtension(UserDao.class, dao -> dao.recordFailure(user.userId(), failure.failures(),
                    failure.lockedUntil()));
            log.info("sign-in refused user='{}' locked={}", user.userId(), failure.lockedUntil() != null);
            throw badCredentials();
        }
        String sessionId = Secrets.randomToken("");
        String csrfToken = Secrets.randomToken("");
        jdbi.useTransaction(handle -> {
            UserDao dao = handle.attach(UserDao.class);
            dao.recordFailure(user.userId(), 0, null);
            dao.insertSession(Secrets.hash(sessionId), user.userId(), csrfToken, now.plus(sessionLifetime));
        });
        log.info("signed in user='{}' role='{}'", user.userId(), user.role());
        return new Session(sessionId, csrfToken, principal(user, csrfToken), sessionLifetime);
    }

    public Optional<Principal> bySession(String sessionId) {
        return jdbi.withExtension(UserDao.class, dao -> dao.findSessionUser(Secrets.hash(sessionId),
                Instant.now(clock))).map(user -> principal(user, user.csrfToken()));
    }

    public Optional<Principal> byApiToken(String token) {
        return jdbi.withExtension(UserDao.class, dao -> dao.findTokenUser(Secrets.hash(token)))
                .map(user -> principal(user, null));
    }

    public void logout(String sessionId) {
        jdbi.useExtension(UserDao.class, dao -> dao.deleteSession(Secrets.hash(sessionId)));
    }

    /** A new API token for the user; only its hash is kept, so this is the one time it can be read. */
    public String createApiToken(String userId, String name) {
        String token = Secrets.randomToken("mf_");
        jdbi.useExtension(UserDao.class, dao -> dao.insertApiToken(Secrets.hash(token), userId, name,
                Instant.now(clock)));
        return token;
    }

    /** Whether {@code given} is the principal's CSRF token (always false for an API token's principal). */
    public static boolean csrfMatches(Principal principal, String given) {
        return principal.csrfToken() != null && Secrets.sameToken(principal.csrfToken(), given);
    }

    private static Principal principal(UserRow user, String csrfToken) {
        return new Principal(user.userId(), user.email(), Role.valueOf(user.role()), user.accountId(), csrfToken);
    }

    private static ApiException badCredentials() {
        return new ApiException(401, "bad_credentials", "Wrong email or password.");
    }

    /** An open session: the cookie value, its CSRF token, who, and how long it lasts. */
    public record Session(String sessionId, String csrfToken, Principal principal, Duration lifetime) {
    }
}
