package dev.meterflow.api.advice;

import dev.meterflow.api.access.Principal;
import dev.meterflow.api.accounts.AccountAccess;
import dev.meterflow.api.accounts.AccountDao.AccountRow;
import dev.meterflow.api.advice.RechargeAdvice.Advice;
import dev.meterflow.money.Money;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/** Reads the last 30 days of an account and asks {@link RechargeAdvice}. */
public final class AdviceQueries {

    private final Jdbi jdbi;
    private final AccountAccess access;
    private final Clock clock;

    public AdviceQueries(Jdbi jdbi, AccountAccess access, Clock clock) {
        this.jdbi = jdbi;
        this.access = access;
        this.clock = clock;
    }

    public AdviceView advise(Principal user, String accountId) {
        AccountRow account = access.toRead(user, accountId);
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate from = today.minusDays(RechargeAdvice.WINDOW_DAYS);
        TreeMap<LocalDate, Long> spend = new TreeMap<>();
        jdbi.withExtension(AdviceDao.class, dao -> dao.dailySpend(accountId, from, today))
                .forEach(day -> spend.put(day.day(), day.amountMicros()));
        int charges = jdbi.withExtension(AdviceDao.class, dao -> dao.autoRechargesSince(accountId,
                from.atStartOfDay(ZoneOffset.UTC).toInstant()));
        long balance = account.balanceMicros() == null ? 0 : account.balanceMicros();
        long threshold = account.thresholdMicros() == null ? 0 : account.thresholdMicros();
        Advice advice = RechargeAdvice.advise(today, spend, balance, threshold, charges);
        return new AdviceView(Money.format(advice.averageDailySpendMicros()), advice.chargesLast30Days(),
                Money.format(advice.recommendedThresholdMicros()), Money.format(advice.recommendedRechargeMicros()),
                Money.format(Money.add(advice.recommendedThresholdMicros(), advice.recommendedRechargeMicros())),
                advice.belowThresholdOn(), advice.zeroOn(), advice.explanation(), advice);
    }

    /**
     * The advice as the page shows it: {@code recommendedTarget} for top-up mode (threshold plus one recharge),
     * {@code recommendedRecharge} for a fixed amount.
     */
    public record AdviceView(String averageDailySpend, int chargesLast30Days, String recommendedThreshold,
                             String recommendedRecharge, String recommendedTarget, LocalDate belowThresholdOn,
                             LocalDate zeroOn, String explanation, Advice micros) {
    }
}
