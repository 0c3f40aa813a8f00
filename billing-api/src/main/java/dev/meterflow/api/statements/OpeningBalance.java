package dev.meterflow.api.statements;

import java.util.Optional;

/**
 * The balance at the start of a statement's first day, a pure function: the closing balance of the last day
 * with ledger entries before it; when the read model keeps none, the balance before its earliest kept day (that
 * day's closing minus its movement: nothing moved between); when it keeps no day at all, the current balance.
 */
public final class OpeningBalance {

    private OpeningBalance() {
    }

    /**
     * @param closingBeforePeriod the closing balance of the last kept day before the period
     * @param earliestKept        the earliest kept day's closing balance and net movement
     */
    public static long of(Optional<Long> closingBeforePeriod, Optional<KeptDay> earliestKept,
                          long currentBalanceMicros) {
        if (closingBeforePeriod.isPresent()) {
            return closingBeforePeriod.get();
        }
        return earliestKept.map(day -> Math.subtractExact(day.closingBalanceMicros(), day.netMicros()))
                .orElse(currentBalanceMicros);
    }

    /** A day the read model keeps: its closing balance and the sum of its ledger totals. */
    public record KeptDay(long closingBalanceMicros, long netMicros) {
    }
}
