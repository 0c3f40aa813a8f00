package dev.meterflow.api.advice;

import dev.meterflow.api.ApiException;
import dev.meterflow.money.Money;
import dev.meterflow.schemas.AutoRechargeMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads what the advice needs from the read model (settings and balance, daily usage, the closing balance before
 * the window, the automatic recharges charged in it) and asks {@link RechargeAdvisor} and {@link Runway}.
 */
public final class AdviceQueries {

    private final Jdbi jdbi;
    private final Clock clock;

    public AdviceQueries(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The advice for one account; {@link ApiException} 404 when the read model does not know it. */
    public AdviceView advice(String accountId) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        return jdbi.withHandle(handle -> {
            Account account = account(handle, accountId).orElseThrow(() -> ApiException.unknownAccount(accountId));
            LocalDate windowStart = today.minusDays(SpendWindow.DAYS);
            SpendWindow window = SpendWindow.of(today, firstUsageDay(handle, accountId), dailySpend(handle, accountId,
                    windowStart, today));
            long startBalance = closingBefore(handle, accountId, window.firstDay())
                    .orElse(account.settings().rechargedBalanceMicros());
            var advice = RechargeAdvisor.advise(window, account.settings(), startBalance);
            var runway = Runway.forecast(today, account.balanceMicros(), account.settings().thresholdMicros(),
                    window);
            return AdviceView.of(accountId, today, advice, automaticRecharges(handle, accountId, windowStart, today),
                    runway);
        });
    }

    private static Optional<Account> account(Handle handle, String accountId) {
        return handle.createQuery("""
                        SELECT coalesce(auto_recharge_enabled, false) AS enabled,
                               coalesce(recharge_mode, 'TOP_UP_TO_TARGET') AS mode,
                               coalesce(threshold_micros, 0) AS threshold, coalesce(target_micros, 0) AS target,
                               coalesce(amount_micros, 0) AS amount, coalesce(balance_micros, 0) AS balance
                        FROM accounts WHERE account_id = :account""")
                .bind("account", accountId)
                .map((rs, ctx) -> new Account(new RechargeSettings(rs.getBoolean("enabled"),
                        AutoRechargeMode.valueOf(rs.getString("mode")), rs.getLong("threshold"),
                        rs.getLong("target"), rs.getLong("amount")), rs.getLong("balance")))
                .findOne();
    }

    private static LocalDate firstUsageDay(Handle handle, String accountId) {
        return handle.createQuery("SELECT min(day) FROM daily_usage WHERE account_id = :account")
                .bind("account", accountId).mapTo(LocalDate.class).findOne().orElse(null);
    }

    private static List<DaySpend> dailySpend(Handle handle, String accountId, LocalDate from, LocalDate before) {
        return handle.createQuery("""
                        SELECT day, sum(amount_micros) AS spend FROM daily_usage
                        WHERE account_id = :account AND day >= :from AND day < :before GROUP BY day""")
                .bind("account", accountId).bind("from", from).bind("before", before)
                .map((rs, ctx) -> new DaySpend(rs.getObject("day", LocalDate.class), rs.getLong("spend")))
                .list();
    }

    private static Optional<Long> closingBefore(Handle handle, String accountId, LocalDate day) {
        return handle.createQuery("""
                        SELECT balance_micros FROM daily_closing_balances
                        WHERE account_id = :account AND day < :day ORDER BY day DESC LIMIT 1""")
                .bind("account", accountId).bind("day", day).mapTo(Long.class).findOne();
    }

    private static int automaticRecharges(Handle handle, String accountId, LocalDate from, LocalDate before) {
        return handle.createQuery("""
                        SELECT count(*) FROM payments WHERE account_id = :account AND status = 'SUCCEEDED'
                          AND reason = 'AUTO_RECHARGE' AND completed_at >= :from AND completed_at < :before""")
                .bind("account", accountId)
                .bind("from", from.atStartOfDay(ZoneOffset.UTC).toInstant())
                .bind("before", before.atStartOfDay(ZoneOffset.UTC).toInstant())
                .mapTo(Integer.class).one();
    }

    private record Account(RechargeSettings settings, long balanceMicros) {
    }

    /**
     * The advice as the API answers it.
     *
     * @param automaticRechargesCharged the automatic recharges that really succeeded in the window (under
     *                                  whatever settings were current then)
     * @param runwayBelowThreshold      yyyy-mm-dd, or null when not within five years at this rate
     */
    public record AdviceView(String accountId, String today, int daysCounted, long averageDailySpendMicros,
                             String averageDailySpend, int currentSettingsCharges, int automaticRechargesCharged,
                             long recommendedThresholdMicros, long recommendedTargetMicros,
                             long recommendedAmountMicros, String sentence, String runwayBelowThreshold,
                             String runwayZero, boolean runwayWeekdayPattern) {

        static AdviceView of(String accountId, LocalDate today, RechargeAdvisor.Advice advice, int charged,
                             Runway.Forecast runway) {
            return new AdviceView(accountId, today.toString(), advice.daysCounted(), advice.averageDailySpendMicros(),
                    Money.format(advice.averageDailySpendMicros()), advice.currentSettingsCharges(), charged,
                    advice.recommendedThresholdMicros(), advice.recommendedTargetMicros(),
                    advice.recommendedAmountMicros(), advice.sentence(),
                    runway.belowThreshold().map(LocalDate::toString).orElse(null),
                    runway.zero().map(LocalDate::toString).orElse(null), runway.weekdayPattern());
        }
    }
}
