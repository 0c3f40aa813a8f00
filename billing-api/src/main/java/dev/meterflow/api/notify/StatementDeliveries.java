package dev.meterflow.api.notify;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.statements.Statement;
import dev.meterflow.api.statements.StatementPdf;
import dev.meterflow.api.statements.StatementPeriod;
import dev.meterflow.api.statements.StatementQueries;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier's side of statement deliveries: statements by email with the PDF attached, the ones
 * {@link StatementRequests} queued and each schedule's on its UTC day. Each delivery has a deterministic id and
 * is sent once ({@link Dispatcher}); sent ones are listed in {@code statement_deliveries}.
 */
public final class StatementDeliveries {

    private static final Logger log = LoggerFactory.getLogger(StatementDeliveries.class);

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

    /** Sends the queued statements not sent yet; returns how many were sent now. */
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
            } catch (ApiException refusal) {
                jdbi.useHandle(handle -> handle.createUpdate(
                                "UPDATE statement_requests SET failure = :reason WHERE request_id = :id")
                        .bind("reason", refusal.getMessage()).bind("id", request.requestId()).execute());
                log.warn("statement not sent requestId='{}' reason='{}'", request.requestId(), refusal.getMessage());
            }
        }
        return sent;
    }

    /** Sends every schedule's statement due today (UTC); returns how many were sent now. */
    public int sendDue() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<Scheduled> schedules = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT schedule_id, account_id, cadence, addresses FROM statement_schedules"
                                + " ORDER BY schedule_id")
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

    private record Requested(String requestId, String accountId, StatementPeriod period, List<String> addresses) {
    }

    private record Scheduled(String scheduleId, String accountId, Cadence cadence, List<String> addresses) {
    }
}
