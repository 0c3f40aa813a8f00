package dev.meterflow.api.statements;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.api.DateRange;
import dev.meterflow.api.statements.Statement.DayLine;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Issue 11: for random ledgers, a statement's lines add up, its closing balance is the ledger's balance at the end
 * of its last day, and the opening balance of a statement is the closing balance of the one before it. The
 * ledger is summed per day as the read model does (closing balance per day, lines per day, kind and SKU).
 */
class StatementProperties {

    private static final LocalDate START = LocalDate.of(2026, 1, 1);
    private static final List<String> KINDS = List.of("USAGE", "RECHARGE", "PAYMENT", "TAX", "ADJUSTMENT");

    @Property
    void shouldAddUpAndCloseAtTheLedgersBalance(@ForAll("ledgers") List<Entry> ledger,
                                                @ForAll @IntRange(min = 0, max = 59) int first,
                                                @ForAll @IntRange(min = 0, max = 59) int length) {
        ReadModel model = ReadModel.of(ledger);
        DateRange range = new DateRange(START.plusDays(first), START.plusDays(first + length));

        Statement statement = model.statement(range);

        long lines = statement.days().stream().flatMap(day -> day.lines().stream())
                .mapToLong(DayLine::amountMicros).sum();
        assertThat(statement.openingBalanceMicros() + lines).isEqualTo(statement.closingBalanceMicros());
        assertThat(statement.totalsByKindMicros().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(lines);
        assertThat(statement.closingBalanceMicros()).isEqualTo(balanceAtEndOf(ledger, range.to()));
        statement.days().forEach(day -> assertThat(day.closingBalanceMicros())
                .isEqualTo(balanceAtEndOf(ledger, day.day())));
    }

    @Property
    void shouldOpenEachStatementAtTheClosingOfTheOneBefore(@ForAll("ledgers") List<Entry> ledger,
                                                          @ForAll @IntRange(min = 0, max = 40) int first,
                                                          @ForAll @IntRange(min = 0, max = 20) int length) {
        ReadModel model = ReadModel.of(ledger);
        DateRange before = new DateRange(START.plusDays(first), START.plusDays(first + length));
        DateRange after = new DateRange(before.to().plusDays(1), before.to().plusDays(1 + length));

        assertThat(model.statement(after).openingBalanceMicros())
                .isEqualTo(model.statement(before).closingBalanceMicros());
    }

    @Provide
    Arbitrary<List<Entry>> ledgers() {
        Arbitrary<Entry> entry = Combinators.combine(Arbitraries.integers().between(0, 80),
                Arbitraries.of(KINDS), Arbitraries.of("call.minutes.local", "number.local.monthly", ""),
                Arbitraries.longs().between(-50_000_000L, 50_000_000L)).as(Entry::new);
        return entry.list().ofMaxSize(60).map(entries -> entries.stream()
                .sorted(java.util.Comparator.comparingInt(Entry::day)).toList());
    }

    private static long balanceAtEndOf(List<Entry> ledger, LocalDate day) {
        return ledger.stream().filter(entry -> !START.plusDays(entry.day()).isAfter(day))
                .mapToLong(Entry::amountMicros).sum();
    }

    /** A ledger entry, posted on day {@code day} after START, in posting order. */
    record Entry(int day, String kind, String sku, long amountMicros) {
    }

    /** What the read model keeps of a ledger: the closing balance of each day and each day's lines. */
    record ReadModel(TreeMap<LocalDate, Long> closings, List<DayLine> lines) {

        static ReadModel of(List<Entry> ledger) {
            TreeMap<LocalDate, Long> closings = new TreeMap<>();
            long balance = 0;
            for (Entry entry : ledger) {
                balance += entry.amountMicros();
                closings.put(START.plusDays(entry.day()), balance);
            }
            Map<List<Object>, Long> sums = ledger.stream().collect(Collectors.groupingBy(
                    entry -> List.of(entry.day(), entry.kind(), entry.sku()), Collectors.summingLong(Entry::amountMicros)));
            List<DayLine> lines = new ArrayList<>();
            sums.forEach((key, sum) -> lines.add(new DayLine(START.plusDays((Integer) key.get(0)), (String) key.get(1),
                    (String) key.get(2), sum)));
            return new ReadModel(closings, lines);
        }

        Statement statement(DateRange range) {
            return Statement.build(range, Statement.openingBalance(closings, range.from()), lines);
        }
    }
}
