package dev.meterflow.api.statements;

import dev.meterflow.api.statements.Statement.Category;
import dev.meterflow.api.statements.Statement.Day;
import dev.meterflow.api.statements.Statement.Line;
import dev.meterflow.api.statements.Statement.Totals;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a statement, a pure function of the read model's rows: the opening balance, the period's ledger totals
 * per day, kind and SKU, and its card charges. The closing balance is the opening plus every line, so the lines
 * add up by construction; that it equals the ledger's balance is what the read model's totals guarantee.
 */
public final class StatementBuilder {

    private StatementBuilder() {
    }

    /** Totals outside the period are ignored; payments are listed in time order. */
    public static Statement build(String accountId, StatementPeriod period, long openingBalanceMicros,
                                  List<LedgerTotal> totals, List<PaymentLine> payments) {
        Map<LocalDate, List<LedgerTotal>> byDay = new TreeMap<>();
        totals.stream().filter(total -> period.contains(total.day()))
                .forEach(total -> byDay.computeIfAbsent(total.day(), day -> new ArrayList<>()).add(total));
        List<Day> days = new ArrayList<>();
        long balance = openingBalanceMicros;
        for (var entry : byDay.entrySet()) {
            List<Line> lines = entry.getValue().stream()
                    .sorted(Comparator.comparing(LedgerTotal::kind).thenComparing(LedgerTotal::sku))
                    .map(StatementBuilder::line).toList();
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

    private static Line line(LedgerTotal total) {
        return new Line(total.kind(), total.sku(), describe(total.kind(), total.sku()), total.quantity(),
                total.amountMicros());
    }

    static String describe(String kind, String sku) {
        return switch (kind) {
            case "USAGE" -> "Usage: " + (sku.isEmpty() ? "other" : sku);
            case "TAX" -> "Taxes";
            case "RECHARGE" -> "Automatic recharge";
            case "PAYMENT" -> "Payment";
            case "PLAN_FEE_DIRECT" -> "Plan fee";
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
        for (Line line : days.stream().flatMap(day -> day.lines().stream()).toList()) {
            long amount = line.amountMicros();
            switch (line.kind()) {
                case "USAGE" -> usage = Math.addExact(usage, amount);
                case "TAX" -> tax = Math.addExact(tax, amount);
                case "RECHARGE", "PAYMENT" -> credits = Math.addExact(credits, amount);
                case "PLAN_FEE_DIRECT" -> planFees = Math.addExact(planFees, amount);
                default -> adjustments = Math.addExact(adjustments, amount);
            }
        }
        return new Totals(usage, tax, credits, planFees, adjustments);
    }
}
