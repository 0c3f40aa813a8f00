package dev.meterflow.api.db;

import dev.meterflow.testdata.stack.TestStack;
import org.jdbi.v3.core.Jdbi;

/**
 * Embedded PostgreSQL with the read model's schema migrated, and a connection pool on it, for a test class or each
 * of its tests (see {@link TestStack}).
 */
public final class DatabaseStack extends TestStack {

    private final int poolSize;
    private EmbeddedDatabase postgres;
    private Database database;

    private DatabaseStack(Scope scope, int poolSize) {
        super(scope);
        this.poolSize = poolSize;
    }

    /** A database every test of the class shares, with a pool of {@code poolSize} connections. */
    public static DatabaseStack perClass(int poolSize) {
        return new DatabaseStack(Scope.CLASS, poolSize);
    }

    @Override
    protected void startParts() {
        postgres = EmbeddedDatabase.start(null);
        database = postgres.open(poolSize);
    }

    @Override
    protected void stopParts() {
        if (database != null) {
            database.close();
            database = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    public Database database() {
        requireRunning();
        return database;
    }

    public Jdbi jdbi() {
        return database().jdbi();
    }

    /** Another database on the same server, migrated, with a pool of its own; the caller closes it. */
    public Database create(String name, int poolSize) {
        requireRunning();
        return postgres.create(name, poolSize);
    }
}
