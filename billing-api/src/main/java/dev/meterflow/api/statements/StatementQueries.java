package dev.meterflow.api.statements;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.payments.DeclineReasons;
import dev.meterflow.api.readmodel.Retention;
import dev.meterflow.api.statements.OpeningBalance.KeptDay;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Reads a statement's rows from the read model in one transaction and asks {@link StatementBuilder}. */
public final class StatementQueries {

    private final Jdbi jdbi;
    private final Retention retention;
    private final Clock clock;

    public StatementQueries(Jdbi jdbi, Retention retention, Clock clock) {
        this.jdbi = jdbi;
        this.retention = retention;
        this.clock = clock;
    }

    /** {@link ApiException} 404 for an unknown account, 400 for a period older than the read model keeps. */
    public Statement statement(String accountId, StatementPeriod period) {
        requireKept(period);
        return jdbi.inTransaction(handle -> {
            long balance = currentBalance(handle, accountId).orElseThrow(() -> ApiException.unknownAccount(accountId));
            long opening = OpeningBalance.of(closingBefore(handle, accountId, period.from()),
                    earliestKept(handle, accountId), balance);
            return StatementBuilder.build(accountId, period, opening, totals(handle, accountId, period),
                    planFees(handle, accountId, period), payments(handle, accountId, period));
        });
    }

    /** {@link ApiException} 400 when the period starts before the oldest day the read model keeps. */
    public void requireKept(StatementPeriod period) {
        LocalDate oldestKept = retention.oldestKept(LocalDate.now(clock.withZone(ZoneOffset.UTC))).atDay(1);
        if (period.from().isBefore(oldestKept)) {
            throw ApiException.badRequest("range_not_kept", "Statements go back to " + oldestKept + " (the billing"
                    + " history kept); ask for " + oldestKept + " or later.");
        }
    }

    /** {@link ApiException} 404 when the read model does not know the account. */
    public void requireAccount(String accountId) {
        jdbi.withHandle(handle -> currentBalance(handle, accountId)).orElseThrow(() -> ApiException.unknownAccount(
                accountId));
    }

    private static Optional<Long> currentBalance(Handle handle, String accountId) {
        return handle.createQuery("SELECT coalesce(balance_micros, 0) FROM accounts WHERE account_id = :account")
                .bind("account", accountId).mapTo(Long.class).findOne();
    }

    private static Optional<Long> closingBefore(Handle handle, String accountId, LocalDate day) {
        return handle.createQuery("""
                        SELECT balance_micros FROM daily_closing_balances
                        WHERE account_id = :account AND day < :day ORDER BY day DESC LIMIT 1""")
                .bind("account", accountId).bind("day", day).mapTo(Long.class).findOne();
    }

    private static Optional<KeptDay> earliestKept(Handle handle, String accountId) {
        return handle.createQuery("""
                        SELECT c.balance_micros, (SELECT coalesce(sum(t.amount_micros), 0) FROM daily_ledger_totals t
                                                  WHERE t.account_id = c.account_id AND t.day = c.day) AS net
                        FROM daily_closing_balances c WHERE c.account_id = :account ORDER BY c.day LIMIT 1""")
                .bind("account", accountId)
                .map((rs, ctx) -> new KeptDay(rs.getLong("balance_micros"), rs.getLong("net"))).findOne();
    }

    private static List<LedgerTotal> totals(Handle handle, String accountId, StatementPeriod period) {
        return handle.createQuery("""
                        SELECT day, kind, sku, amount_micros, quantity FROM daily_ledger_totals
                        WHERE account_id = :account AND day BETWEEN :from AND :to""")
                .bind("account", accountId).bind("from", period.from()).bind("to", period.to())
                .map((rs, ctx) -> new LedgerTotal(rs.getObject("day", LocalDate.class), rs.getString("kind"),
                        rs.getString("sku"), rs.getLong("amount_micros"), rs.getLong("quantity")))
                .list();
    }

    /** The plan fees charged to a payment method, each with the card or bank account its receipt names. */
    private static List<PlanFeeCharge> planFees(Handle handle, String accountId, StatementPeriod period) {
        return handle.createQuery("""
                        SELECT f.day, f.sku, f.charged_micros, f.payment_method_id, r.brand, r.last4
                        FROM plan_fee_charges f LEFT JOIN receipts r
                          ON r.request_id = f.request_id AND r.account_id = f.account_id
                        WHERE f.account_id = :account AND f.day BETWEEN :from AND :to
                        ORDER BY f.posted_at, f.entry_id""")
                .bind("account", accountId).bind("from", period.from()).bind("to", period.to())
                .map((rs, ctx) -> new PlanFeeCharge(rs.getObject("day", LocalDate.class), rs.getString("sku"),
                        rs.getLong("charged_micros"), method(rs.getString("brand"), rs.getString("last4"), rs.getString("payment_method_id"))))
                .list();
    }

    private static String method(String brand, String last4, String paymentMethodId) {
        if (brand != null) {
            String name = brand.isEmpty() ? "Card" : Character.toUpperCase(brand.charAt(0)) + brand.substring(1);
            return name + " ending " + last4;
        }
        return paymentMethodId == null ? "a payment method" : paymentMethodId;
    }

    private static List<PaymentLine> payments(Handle handle, String accountId, StatementPeriod period) {
        return handle.createQuery("""
                        SELECT p.completed_at, p.request_id, p.reason, p.status, p.amount_cents, p.payment_method_id,
                               p.decline_codes, r.brand, r.last4
                        FROM payments p LEFT JOIN receipts r
                          ON r.request_id = p.request_id AND r.account_id = p.account_id
                        WHERE p.account_id = :account AND p.completed_at >= :from AND p.completed_at < :before""")
                .bind("account", accountId)
                .bind("from", period.from().atStartOfDay(ZoneOffset.UTC).toInstant())
                .bind("before", period.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())
                .map((rs, ctx) -> {
                    String status = rs.getString("status");
                    String brand = rs.getString("brand");
                    String method = brand != null ? brand + " ending " + rs.getString("last4")
                            : rs.getString("payment_method_id") == null ? "no card charged"
                            : rs.getString("payment_method_id");
                    String outcome = "SUCCEEDED".equals(status) ? "Charged" : DeclineReasons.describe(status,
                            codes(rs.getString("decline_codes")));
                    return new PaymentLine(rs.getObject("completed_at", java.time.OffsetDateTime.class).toInstant(),
                            rs.getString("request_id"), rs.getString("reason"), status, rs.getLong("amount_cents"),
                            method, outcome);
                })
                .list();
    }

    private static List<String> codes(String joined) {
        return joined == null || joined.isBlank() ? List.of() : Arrays.stream(joined.split(", ")).toList();
    }
}
