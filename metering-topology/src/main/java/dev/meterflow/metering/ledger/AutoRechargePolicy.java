package dev.meterflow.metering.ledger;

/**
 * When and how much to recharge (billing rules: "when the balance falls below the threshold, charge the card
 * to bring it back up to the target; also support a fixed recharge amount").
 */
public record AutoRechargePolicy(boolean enabled, Mode mode, long thresholdMicros, long targetMicros,
                                 long amountMicros) {

    public enum Mode { TOP_UP_TO_TARGET, FIXED_AMOUNT }

    public static AutoRechargePolicy disabled(long thresholdMicros) {
        return new AutoRechargePolicy(false, Mode.TOP_UP_TO_TARGET, thresholdMicros, 0, 0);
    }
}
