package dev.meterflow.api.advice;

import dev.meterflow.money.Money;
import dev.meterflow.schemas.AutoRechargeMode;

/**
 * Recharge advice, a pure function of the last {@value SpendWindow#DAYS} days of spend and the current settings:
 * the average day, how often the current settings charged the card over those days, and whole-dollar settings
 * that would charge it about once every 30 days.
 */
public final class RechargeAdvisor {

    /** Days of average spend the recommended threshold keeps, so a declined card can be fixed before a pause. */
    static final int BUFFER_DAYS = 3;
    static final int CYCLE_DAYS = 30;
    // a fixed amount below the gap to the threshold charges several times a day; more than this is a mistake
    private static final int MAX_CHARGES_PER_DAY = 100;

    private RechargeAdvisor() {
    }

    /**
     * @param startBalanceMicros the balance at the start of the window's first day
     */
    public static Advice advise(SpendWindow window, RechargeSettings current, long startBalanceMicros) {
        long average = window.averageMicros();
        // from the total, not the rounded-down average: the recommended gap covers the window's whole spend
        long cycleSpend = Money.ceilDiv(Math.multiplyExact(window.totalMicros(), CYCLE_DAYS), window.days());
        long threshold = wholeDollarsAtLeastOne(Math.multiplyExact(average, BUFFER_DAYS));
        long amount = wholeDollarsAtLeastOne(cycleSpend);
        long target = Math.addExact(threshold, amount);
        int charges = charges(window, current, startBalanceMicros);
        return new Advice(average, window.days(), charges, threshold, target, amount,
                sentence(window, threshold, target, current.enabled(), charges));
    }

    /** How many times {@code settings} would have charged the card over the window, day by day. */
    public static int charges(SpendWindow window, RechargeSettings settings, long startBalanceMicros) {
        if (!settings.enabled()) {
            return 0;
        }
        long balance = startBalanceMicros;
        int charges = 0;
        for (int day = 0; day < window.days(); day++) {
            balance = Math.subtractExact(balance, window.spendOn(day));
            for (int today = 0; balance < settings.thresholdMicros() && today < MAX_CHARGES_PER_DAY; today++) {
                long recharge = settings.mode() == AutoRechargeMode.TOP_UP_TO_TARGET
                        ? settings.targetMicros() - balance : settings.amountMicros();
                if (recharge <= 0) {
                    break;
                }
                balance = Math.addExact(balance, recharge);
                charges++;
                if (settings.mode() == AutoRechargeMode.TOP_UP_TO_TARGET) {
                    break;
                }
            }
        }
        return charges;
    }

    static long wholeDollarsAtLeastOne(long micros) {
        long dollars = Math.max(1, Money.ceilDiv(micros, Money.MICROS_PER_DOLLAR));
        return Money.dollarsToMicros(dollars);
    }

    private static String sentence(SpendWindow window, long threshold, long target, boolean enabled,
                                   int charges) {
        String current = !enabled ? "auto-recharge is off now, so it charged nothing"
                : charges == 0 ? "your current settings did not charge the card"
                : charges == 1 ? "your current settings charged it once"
                : "your current settings charged it " + charges + " times";
        int days = window.days();
        String period = days + (days == 1 ? " day" : " days");
        if (window.totalMicros() == 0) {
            // the $1 floor of the settings is no advice: nothing was spent to size a recharge on
            return "There was no usage in the last " + period + ", so there is nothing to base a recharge on yet; "
                    + current + ".";
        }
        long average = window.averageMicros();
        return "Your last " + period + ": about "
                + Money.formatCents(Money.ceilDiv(average, Money.MICROS_PER_CENT)) + " a day. Recharge to "
                + dollars(target) + " when below " + dollars(threshold) + " to be charged about once a month; "
                + current + ".";
    }

    private static String dollars(long wholeDollarMicros) {
        return "$" + wholeDollarMicros / Money.MICROS_PER_DOLLAR;
    }

    /**
     * @param averageDailySpendMicros      the window's average day, rounded down to a micro
     * @param currentSettingsCharges       how often the current settings would have charged the card
     * @param recommendedAmountMicros      the recharge that covers about 30 days (the fixed amount, or target
     *                                     minus threshold)
     */
    public record Advice(long averageDailySpendMicros, int daysCounted, int currentSettingsCharges,
                         long recommendedThresholdMicros, long recommendedTargetMicros, long recommendedAmountMicros,
                         String sentence) {
    }
}
