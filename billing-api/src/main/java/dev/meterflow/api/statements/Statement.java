package dev.meterflow.api.statements;

import java.time.LocalDate;
import java.util.List;

/**
 * An account's statement: the opening balance, every day's ledger lines with the balance at its end, the usage
 * of the period per category, the totals per kind, every card charge, and the closing balance. Amounts are
 * micros, negative for debits.
 */
public record Statement(String accountId, StatementPeriod period, long openingBalanceMicros, List<Day> days,
                        List<Category> usageByCategory, Totals totals, List<PaymentLine> payments,
                        long closingBalanceMicros) {

    /** One day with movement: its lines, their sum, and the balance at its end. */
    public record Day(LocalDate day, List<Line> lines, long netMicros, long closingBalanceMicros) {
    }

    /**
     * One kind (and SKU for usage) of one day. {@code chargedMicros} is what a payment method paid for a plan fee
     * charged directly (0 for every other kind): it is not part of {@code amountMicros}, which moves the balance.
     */
    public record Line(String kind, String sku, String description, long quantity, long amountMicros,
                       long chargedMicros) {
    }

    /** One SKU's usage over the period. */
    public record Category(String sku, long quantity, long amountMicros) {
    }

    /**
     * The period's movement per kind; {@code credits} are recharges and payments. They add up to the closing
     * balance minus the opening balance; {@code planFeesChargedMicros}, the plan fees a payment method paid, is
     * not movement of the balance and is not part of that sum.
     */
    public record Totals(long usageMicros, long taxMicros, long creditsMicros, long planFeesMicros,
                         long adjustmentsMicros, long planFeesChargedMicros) {

        public long netMicros() {
            return usageMicros + taxMicros + creditsMicros + planFeesMicros + adjustmentsMicros;
        }
    }
}
