package dev.meterflow.api.notify;

import dev.meterflow.api.advice.Refusal;
import dev.meterflow.api.statements.Statement;
import dev.meterflow.api.statements.StatementPdf;
import dev.meterflow.api.statements.StatementPeriod;
import dev.meterflow.api.statements.StatementQueries;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Statements by email with the PDF attached: one the API queued ({@code statement_requests}), or a schedule's
 * on its UTC day. Each delivery has a deterministic id and is sent once ({@link Dispatcher}); sent ones are
 * listed in {@code statement_deliveries}.
 */
public final class StatementDeliveries {

    private static final Logger log = LoggerFactory.getLogger(StatementDeliveries.class);
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s,;<>\"]+@[^@\\s,;<>\"]+\\.[^@\\s,;<>\"]+");
    private static final int MAX_ADDRESSES = 20;

    private final Jdbi jdbi;
    private final StatementQueries statements;
    private final Dispatcher dispatcher;
    private final Clock clock;

    public StatementDeliveries(Jdbi jdbi, StatementQueries statements, Dispatcher dispatcher, Clock clock) {
        this.jdbi = jdbi;
        this.statements = statements;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    /**
     * Queues a statement for the notifier to send (the API's side); a repeated {@code requestId} is a no-op.
     * Returns the delivery id it will have.
     */
    public String request(String accountId, StatementPeriod period, List<String> addresses, String requestId,
                          String requestedBy) {
        requireAddresses(addresses);
        if (requestId == null || requestId.isBlank() || requestId.length() > 200) {
            throw Refusal.badRequest("idempotency_key_missing", "Send an Idempotency-Key header (up to 200"
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

    /** Sends the queued statements not sent yet (the notifier's side); returns how many were sent now. */
    public int sendRequested() {
        List<Requested> pending = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT r.request_id, r.account_id, r.period_from, r.period_to, r.addresses
                        FROM statement_requests r
                        WHERE r.failure IS NULL AND NOT EXISTS (SELECT 1 FROM statement_deliveries d
                                                                WHERE d.delivery_id = 'statement:' || r.request_id)
                        ORDER BY r.requested_at LIMIT 20""")
                .map((rs, ctx) -> new Requested(rs.getString("request_id"), rs.getString("account_id"),
                        new StatementPeriod(rs.getObject("period_from", LocalDate.class),
                                rs.getObject("period_to", LocalDate.class)),
                        List.of((String[]) rs.getArray("addresses").getArray())))
                .list());
        int sent = 0;
        for (Requested request : pending) {
            try {
                if (deliver("statement:" + request.requestId(), request.accountId(), request.period(),
                        request.addresses(), null)) {
                    sent++;
                }
            } catch (Refusal refusal) {
                jdbi.useHandle(handle -> handle.createUpdate(
                                "UPDATE statement_requests SET failure = :reason WHERE request_id = :id")
                        .bind("reason", refusal.getMessage()).bind("id", request.requestId()).execute());
                log.warn("statement not sent requestId='{}' reason='{}'", request.requestId(), refusal.getMessage());
            }
        }
        return sent;
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

    /** Sends every schedule's statement due today (UTC); returns how many were sent now. */
    public int sendDue() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<Scheduled> schedules = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT schedule_id, account_id, cadence, addresses FROM statement_schedules ORDER BY schedule_id")
                .map((rs, ctx) -> new Scheduled(rs.getString("schedule_id"), rs.getString("account_id"),
                        Cadence.valueOf(rs.getString("cadence")), List.of((String[]) rs.getArray("addresses")
                        .getArray())))
                .list());
        int sent = 0;
        for (Scheduled schedule : schedules) {
            var due = schedule.cadence().periodDueOn(today);
            if (due.isPresent() && deliver("schedule:" + schedule.scheduleId() + ":" + due.get().from(),
                    schedule.accountId(), due.get(), schedule.addresses(), schedule.scheduleId())) {
                sent++;
            }
        }
        return sent;
    }

    private boolean deliver(String deliveryId, String accountId, StatementPeriod period, List<String> addresses,
                            String scheduleId) {
        Statement statement = statements.statement(accountId, period);
        boolean sent = dispatcher.email(Messages.statement(deliveryId, statement, addresses,
                StatementPdf.render(statement)));
        if (sent) {
            jdbi.useHandle(handle -> handle.createUpdate("""
                            INSERT INTO statement_deliveries (delivery_id, account_id, period_from, period_to,
                                                              addresses, schedule_id, sent_at)
                            VALUES (:id, :account, :from, :to, :addresses, :schedule, :at)
                            ON CONFLICT (delivery_id) DO NOTHING""")
                    .bind("id", deliveryId).bind("account", accountId).bind("from", period.from())
                    .bind("to", period.to()).bind("addresses", addresses.toArray(String[]::new))
                    .bind("schedule", scheduleId).bind("at", clock.instant()).execute());
            log.info("statement sent deliveryId='{}' account='{}' from='{}' to='{}'", deliveryId, accountId,
                    period.from(), period.to());
        }
        return sent;
    }

    private static void requireAddresses(List<String> addresses) {
        if (addresses == null || addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw Refusal.badRequest("bad_addresses", "Give 1 to " + MAX_ADDRESSES + " email addresses.");
        }
        for (String address : addresses) {
            if (address == null || !ADDRESS.matcher(address).matches()) {
                throw Refusal.badRequest("bad_address", "'" + address + "' is not an email address.");
            }
        }
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

    private record Requested(String requestId, String accountId, StatementPeriod period, List<String> addresses) {
    }

    private record Scheduled(String scheduleId, String accountId, Cadence cadence, List<String> addresses) {
    }
}
