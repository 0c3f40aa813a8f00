package dev.meterflow.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meterflow.api.access.Authenticator;
import dev.meterflow.api.access.LoginPolicy;
import dev.meterflow.api.access.LoginRateLimit;
import dev.meterflow.api.access.Role;
import dev.meterflow.api.accounts.AccountAccess;
import dev.meterflow.api.billinglog.BillingLogQueries;
import dev.meterflow.api.db.DatabaseStack;
import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11: the billing log's CSV export has no row limit and streams. This JVM runs with a 64 MiB heap
 * (the csv-export-bounded-memory execution) and the export is about 110 MB: buffered anywhere, it would not fit.
 */
class CsvExportIT {

    private static final int ROWS = 100_000;
    private static final String PASSWORD = "correct horse battery";

    @RegisterExtension
    static final DatabaseStack postgres = DatabaseStack.perClass(4);
    private static Javalin server;

    @BeforeAll
    static void start() {
        postgres.jdbi().useHandle(handle -> {
            handle.execute("INSERT INTO accounts (account_id) VALUES ('acme')");
            handle.execute("INSERT INTO billing_log (log_id, account_id, at, kind, summary, actor)"
                    + " SELECT 'log-' || n, 'acme', now() - n * interval '1 second', 'PAYMENT_SUCCEEDED',"
                    + " 'Charged $35.00, line ' || n || ' ' || repeat('x', 1000), NULL"
                    + " FROM generate_series(1, " + ROWS + ") AS n");
        });
        Authenticator authenticator = new Authenticator(postgres.jdbi(), new LoginPolicy(5, Duration.ofMinutes(15)),
                new LoginRateLimit(100, Clock.systemUTC()), Duration.ofHours(1), Clock.systemUTC());
        authenticator.createUser("admin@acme.example", PASSWORD, Role.ACCOUNT_ADMIN, "acme");
        AccountAccess access = new AccountAccess(postgres.jdbi());
        // the export needs no write side: no broker in this JVM
        var services = new ApiRoutes.Services(authenticator, access, null, null,
                new BillingLogQueries(postgres.jdbi(), access), null, null, null, null, null, null, null);
        server = ApiServer.create(ApiRoutes.all(services), authenticator).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void shouldStreamEveryRowOfAHundredThousandRowExportInBoundedMemory() throws Exception {
        assumeTrue(Runtime.getRuntime().maxMemory() < 100_000_000L, "only in the csv-export-bounded-memory JVM");
        ApiClient admin = new ApiClient("http://127.0.0.1:" + server.port());
        assertThat(admin.login("admin@acme.example", PASSWORD).status()).isEqualTo(200);

        HttpResponse<java.io.InputStream> response = admin.stream("/api/v1/accounts/acme/billing-log.csv");

        assertThat(response.statusCode()).isEqualTo(200);
        long lines = 0;
        long bytes = 0;
        String first = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (lines == 1) {
                    first = line;
                }
                lines++;
                bytes += line.length() + 1;
            }
        }
        assertThat(lines).isEqualTo(ROWS + 1);
        assertThat(bytes).as("larger than this JVM's heap").isGreaterThan(Runtime.getRuntime().maxMemory());
        assertThat(first).contains("PAYMENT_SUCCEEDED", "line 1 ", "log-1");
    }
}
