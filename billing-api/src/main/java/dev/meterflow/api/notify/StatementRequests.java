package dev.meterflow.api.notify;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.statements.StatementPeriod;
import dev.meterflow.api.statements.StatementQueries;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * The API's side of statement deliveries: it checks and queues a statement ({@code statement_requests}) or a
 * schedule ({@code statement_schedules}); the notifier's {@link StatementDeliveries} sends them.
 */
public final class StatementRequests {

    private static final Pattern ADDRESS = Pattern.compile("[^@\\s,;<>\"]+@[^@\\s,;<>\"]+\\.[^@\\s,;<>\"]+");
    private static final int MAX_ADDRESSES = 20;

    private final Jdbi jdbi;
    private final StatementQueries statements;
    private final Clock clock;

    public StatementRequests(Jdbi jdbi, StatementQueries statements, Clock clock) {
        this.jdbi = jdbi;
        this.statements = statements;
        this.clock = clock;
    }

    /**
     * Queues a statement for the notifier to send; a repeated {@code requestId} is a no-op.
     * Returns the delivery id it will have.
     */
    public String request(String accountId, StatementPeriod period, List<String> addresses, String requestId,
                          String requestedBy) {
        requireAddresses(addresses);
        if (requestId == null || requestId.isBlank() || requestId.length() > 200) {
            throw ApiException.badRequest("idempotency_key_missing", "Send an Idempotency-Key header (up to 200"
                    + " characters) so a repeated request sends the statement once.");
        }
        statements.requireAccount(accountId);
        statements.requireKept(period);
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO statement_requests (request_id, account_id, period_from, period_to, addresses,
                                                        requested_at, requested_by)
                        VALUES (:id, :account, :from, :to, :addresses, :at, :by) ON CONFLICT DO NOTHING""")
                .bind("id", accountId + ":" + requestId).bind("account", accountId).bind("from", period.from())
                .bind("to", period.to()).bind("addresses", addresses.toArray(String[]::new))
                .bind("at", clock.instant()).bind("by", requestedBy).execute());
        return "statement:" + accountId + ":" + requestId;
    }

    /** Adds a recurring statement; returns its id. */
    public String schedule(String accountId, Cadence cadence, List<String> addresses, String createdBy) {
        requireAddresses(addresses);
        statements.requireAccount(accountId);
        String scheduleId = "sched-" + accountId + "-" + cadence.name().toLowerCase(java.util.Locale.ROOT) + "-"
                + Integer.toHexString(String.join(",", addresses).hashCode());
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO statement_schedules (schedule_id, account_id, cadence, addresses, created_at,
                                                         created_by)
                        VALUES (:id, :account, :cadence, :addresses, :at, :by) ON CONFLICT (schedule_id) DO NOTHING""")
                .bind("id", scheduleId).bind("account", accountId).bind("cadence", cadence.name())
                .bind("addresses", addresses.toArray(String[]::new)).bind("at", clock.instant()).bind("by", createdBy)
                .execute());
        return scheduleId;
    }

    /** The schedules of an account. */
    public List<Map<String, Object>> schedules(String accountId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT schedule_id, cadence, addresses FROM statement_schedules WHERE account_id = :account
                        ORDER BY schedule_id""")
                .bind("account", accountId)
                .map((rs, ctx) -> Map.<String, Object>of("scheduleId", rs.getString("schedule_id"), "cadence",
                        rs.getString("cadence"), "addresses", List.of((String[]) rs.getArray("addresses").getArray())))
                .list());
    }

    private static void requireAddresses(List<String> addresses) {
        if (addresses == null || addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw ApiException.badRequest("bad_addresses", "Give 1 to " + MAX_ADDRESSES + " email addresses.");
        }
        for (String address : addresses) {
            if (address == null || !ADDRESS.matcher(address).matches()) {
                throw ApiException.badRequest("bad_address", "'" + address + "' is not an email address.");
            }
        }
    }
}
