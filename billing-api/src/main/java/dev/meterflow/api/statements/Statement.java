package dev.meterflow.api.statements;

import dev.meterflow.api.DateRange;
import dev.meterflow.money.Money;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A statement for a range of UTC days: the opening balance, every day's lines (ledger entries summed per kind
 * and SKU: usage per SKU, recharges, payments, taxes), each day's closing balance, the totals per kind and the
 * closing balance. Pure: the day lines and the balance before the range in, the statement out.
 */
public record Statement(LocalDate from, LocalDate to, long openingBalanceMicros, List<Day> days,
                        Map<String, Long> totalsByKindMicros, long closingBalanceMicros) {

    /** The balance at the end of the last day before {@code from} that has one; zero before the first entry. */
    public static long openingBalance(SortedMap<LocalDate, Long> closingBalances, LocalDate from) {
        SortedMap<LocalDate, Long> before = closingBalances.headMap(from);
        return before.isEmpty() ? 0 : before.get(before.lastKey());
    }

    public static Statement build(DateRange range, long openingBalanceMicros, List<DayLine> lines) {
        TreeMap<LocalDate, List<DayLine>> byDay = new TreeMap<>();
        lines.stream().filter(line -> !line.day().isBefore(range.from()) && !line.day().isAfter(range.to()))
                .sorted(Comparator.comparing(DayLine::day).thenComparing(DayLine::kind).thenComparing(DayLine::sku))
                .forEach(line -> byDay.computeIfAbsent(line.day(), day -> new ArrayList<>()).add(line));
        List<Day> days = new ArrayList<>();
        Map<String, Long> totals = new TreeMap<>();
        long balance = openingBalanceMicros;
        for (var entry : byDay.entrySet()) {
            long net = 0;
            for (DayLine line : entry.getValue()) {
                net = Money.add(net, line.amountMicros());
                totals.merge(line.kind(), line.amountMicros(), Money::add);
            }
            balance = Money.add(balance, net);
            days.add(new Day(entry.getKey(), List.copyOf(entry.getValue()), net, balance));
        }
        return new Statement(range.from(), range.to(), openingBalanceMicros, List.copyOf(days), totals, balance);
    }

    /** One day's sum of one kind of ledger entry (and SKU, empty when the kind has none); debits negative. */
    public record DayLine(LocalDate day, String kind, String sku, long amountMicros) {
    }

    /** A day with entries: its lines, their sum and the balance at its end. */
    public record Day(LocalDate day, List<DayLine> lines, long netMicros, long closingBalanceMicros) {
    }
}
