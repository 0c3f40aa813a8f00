package dev.meterflow.local.bench.postgres;

/**
 * The peer's threshold rule, as a conventional billing system checks it after a batch's balance update: a
 * recharge is asked for when auto-recharge is on and the debit took the balance from at or above the threshold to
 * below it (the same crossing the metering topology's ledger acts on).
 */
final class ThresholdCrossing {

    private ThresholdCrossing() {
    }

    static boolean asksForRecharge(boolean autoRecharge, long thresholdMicros, long balanceAfterMicros,
                                   long debitMicros) {
        long before = Math.addExact(balanceAfterMicros, debitMicros);
        return autoRecharge && before >= thresholdMicros && balanceAfterMicros < thresholdMicros;
    }
}
