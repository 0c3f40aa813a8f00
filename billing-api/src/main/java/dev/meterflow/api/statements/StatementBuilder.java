package dev.meterflow.api.statements;

import dev.meterflow.api.statements.Statement.Category;
import dev.meterflow.api.statements.Statement.Day;
import dev.meterflow.api.statements.Statement.Line;
import dev.meterflow.api.statements.Statement.Totals;
import dev.meterflow.money.Money;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds a statement, a pure function of the read model's rows: the opening balance, the period's ledger totals
 * per day, kind and SKU, the plan fees a payment method paid, and its card charges. The closing balance is the opening plus every line, so the lines
 * add up by construction; that it equals the ledger's balance is what the read model's totals guarantee.
 */
public final class StatementBuilder {

    private static final String PLAN_FEE = "PLAN_FEE_DIRECT";

    private StatementBuilder() {
    }

    /**
     * Totals and plan fees outside the period are ignored; payments are listed in time order. A day's plan fee line
     * says what its plan fees charged to a payment method paid, and with what: its amount, the balance's movement,
     * stays 0.
     */
    public static Statement build(String accountId, StatementPeriod period, long openingBalanceMicros,
                                  List<LedgerTotal> totals, List<PlanFeeCharge> planFees, List<PaymentLine> payments) {
        Map<LocalDate, List<LedgerTotal>> byDay = new TreeMap<>();
        totals.stream().filter(total -> period.contains(total.day()))
                .forEach(total -> byDay.computeIfAbsent(total.day(), day -> new ArrayList<>()).add(total));
        Map<LocalDate, List<PlanFeeCharge>> feesByDay = planFees.stream()
                .collect(Collectors.groupingBy(PlanFeeCharge::day));
        List<Day> days = new ArrayList<>();
        long balance = openingBalanceMicros;
        for (var entry : byDay.entrySet()) {
            List<PlanFeeCharge> fees = feesByDay.getOrDefault(entry.getKey(), List.of());
            List<Line> lines = entry.getValue().stream()
                    .sorted(Comparator.comparing(LedgerTotal::kind).thenComparing(LedgerTotal::sku))
                    .map(total -> line(total, fees)).toList();
            long net = lines.stream().mapToLong(Line::amountMicros).reduce(0, Math::addExact);
            balance = Math.addExact(balance, net);
            days.add(new Day(entry.getKey(), lines, net, balance));
        }
        List<PaymentLine> charges = payments.stream().filter(p -> period.contains(
                p.at().atZone(java.time.ZoneOffset.UTC).toLocalDate()))
                .sorted(Comparator.comparing(PaymentLine::at).thenComparing(PaymentLine::requestId)).toList();
        return new Statement(accountId, period, openingBalanceMicros, days, categories(days), totals(days), charges,
                balance);
    }

    private static Line line(LedgerTotal total, List<PlanFeeCharge> dayFees) {
        if (!PLAN_FEE.equals(total.kind())) {
            return new Line(total.kind(), total.sku(), describe(total.kind(), total.sku()), total.quantity(),
                    total.amountMicros(), 0);
        }
        List<PlanFeeCharge> fees = dayFees.stream().filter(fee -> fee.sku().equals(total.sku())).toList();
        long charged = fees.stream().mapToLong(PlanFeeCharge::chargedMicros).reduce(0, Math::addExact);
        return new Line(total.kind(), total.sku(), planFee(fees), total.quantity(), total.amountMicros(), charged);
    }

    /** "Plan fee $45.00, paid by Visa ending 4242, not from the balance". */
    static String planFee(List<PlanFeeCharge> fees) {
        if (fees.isEmpty()) {
            return "Plan fee, paid by a payment method, not from the balance";
        }
        return "Plan fee " + fees.stream().map(fee -> Money.format(fee.chargedMicros()) + ", paid by "
                + fee.method()).collect(Collectors.joining("; ")) + ", not from the balance";
    }

    static String describe(String kind, String sku) {
        return switch (kind) {
            case "USAGE" -> "Usage: " + (sku.isEmpty() ? "other" : sku);
            case "TAX" -> "Taxes";
            case "RECHARGE" -> "Automatic recharge";
            case "PAYMENT" -> "Payment";
            case PLAN_FEE -> "Plan fee";
            case "ADJUSTMENT" -> "Adjustment";
            default -> kind.toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static List<Category> categories(List<Day> days) {
        Map<String, long[]> bySku = new TreeMap<>();
        days.stream().flatMap(day -> day.lines().stream()).filter(line -> "USAGE".equals(line.kind()))
                .forEach(line -> {
                    long[] sums = bySku.computeIfAbsent(line.sku(), sku -> new long[2]);
                    sums[0] = Math.addExact(sums[0], line.quantity());
                    sums[1] = Math.addExact(sums[1], line.amountMicros());
                });
        return bySku.entrySet().stream().map(e -> new Category(e.getKey(), e.getValue()[0], e.getValue()[1]))
                .toList();
    }

    private static Totals totals(List<Day> days) {
        long usage = 0;
        long tax = 0;
        long credits = 0;
        long planFees = 0;
        long adjustments = 0;
        long planFeesCharged = 0;
        for (Line line : days.stream().flatMap(day -> day.lines().stream()).toList()) {
            long amount = line.amountMicros();
            switch (line.kind()) {
                case "USAGE" -> usage = Math.addExact(usage, amount);
                case "TAX" -> tax = Math.addExact(tax, amount);
                case "RECHARGE", "PAYMENT" -> credits = Math.addExact(credits, amount);
                case PLAN_FEE -> planFees = Math.addExact(planFees, amount);
                default -> adjustments = Math.addExact(adjustments, amount);
            }
            planFeesCharged = Math.addExact(planFeesCharged, line.chargedMicros());
        }
        return new Totals(usage, tax, credits, planFees, adjustments, planFeesCharged);
    }
}
