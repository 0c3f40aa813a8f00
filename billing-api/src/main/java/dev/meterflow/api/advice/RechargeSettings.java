package dev.meterflow.api.advice;

import dev.meterflow.schemas.AutoRechargeMode;

/** The account's auto-recharge settings as the read model holds them. */
public record RechargeSettings(boolean enabled, AutoRechargeMode mode, long thresholdMicros, long targetMicros,
                               long amountMicros) {

    /** The balance right after a recharge: where a simulation starts when the real one is unknown. */
    public long rechargedBalanceMicros() {
        return mode == AutoRechargeMode.TOP_UP_TO_TARGET ? targetMicros : thresholdMicros + amountMicros;
    }
}
