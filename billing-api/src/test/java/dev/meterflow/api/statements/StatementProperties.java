package dev.meterflow.api.statements;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.api.statements.OpeningBalance.KeptDay;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Issue 11: for random ledgers, a statement built from what the read model keeps of them (daily totals per kind
 * and SKU, daily closing balances, plan fees charged to a payment method) adds up, closes at the ledger's balance
 * at the end of its last day, and opens where the statement before it closed; a plan fee paid by card shows what
 * it charged without moving the balance.
 */
class StatementProperties {

    private static final LocalDate FIRST = LocalDate.of(2026, 1, 1);
    private static final String PLAN_FEE = "PLAN_FEE_DIRECT";
    private static final List<String> KINDS = List.of("USAGE", "RECHARGE", "PAYMENT", "TAX", "PLAN_FEE_DIRECT",
            "ADJUSTMENT");

    @Property
    void consecutiveStatementsAddUpAndCloseAtTheLedgersBalance(@ForAll("ledgers") List<Entry> ledger,
                                                                @ForAll @IntRange(min = 0, max = 80) int start,
                                                                @ForAll @IntRange(min = 0, max = 40) int firstLength,
                                                                @ForAll @IntRange(min = 0, max = 40) int secondLength) {
        ReadModel kept = ReadModel.of(ledger);
        StatementPeriod first = new StatementPeriod(FIRST.plusDays(start), FIRST.plusDays(start + firstLength));
        StatementPeriod second = new StatementPeriod(first.to().plusDays(1), first.to().plusDays(1 + secondLength));

        Statement one = kept.statement(first);
        Statement two = kept.statement(second);

        for (Statement statement : List.of(one, two)) {
            assertThat(statement.closingBalanceMicros()).isEqualTo(balanceAtEndOf(ledger, statement.period().to()));
            assertThat(statement.openingBalanceMicros())
                    .isEqualTo(balanceAtEndOf(ledger, statement.period().from().minusDays(1)));
            long lines = statement.days().stream().flatMap(day -> day.lines().stream())
                    .mapToLong(Statement.Line::amountMicros).sum();
            assertThat(statement.openingBalanceMicros() + lines).isEqualTo(statement.closingBalanceMicros());
            assertThat(statement.totals().netMicros()).isEqualTo(lines);
            long charged = statement.days().stream().flatMap(day -> day.lines().stream())
                    .mapToLong(Statement.Line::chargedMicros).sum();
            assertThat(charged).as("plan fees paid by card").isEqualTo(chargedIn(ledger, statement.period()));
            assertThat(statement.totals().planFeesChargedMicros()).isEqualTo(charged);
            assertThat(statement.usageByCategory().stream().mapToLong(Statement.Category::amountMicros).sum())
                    .isEqualTo(statement.totals().usageMicros());
            for (Statement.Day day : statement.days()) {
                assertThat(day.closingBalanceMicros()).as("balance at the end of %s", day.day())
                        .isEqualTo(balanceAtEndOf(ledger, day.day()));
                assertThat(day.lines().stream().mapToLong(Statement.Line::amountMicros).sum())
                        .isEqualTo(day.netMicros());
            }
        }
        assertThat(two.openingBalanceMicros()).isEqualTo(one.closingBalanceMicros());
    }

    @Provide
    Arbitrary<List<Entry>> ledgers() {
        Arbitrary<Entry> entry = Combinators.combine(Arbitraries.integers().between(0, 120),
                Arbitraries.of(KINDS), Arbitraries.of("", "call.minutes", "tracking.numbers", "transcription"),
                Arbitraries.longs().between(-50_000_000, 50_000_000), Arbitraries.longs().between(0, 500))
                .as(StatementProperties::entry);
        return entry.list().ofMaxSize(60).map(entries -> entries.stream()
                .sorted(java.util.Comparator.comparingInt(Entry::day)).toList());
    }

    /** The ledger's running balance after its last entry posted on or before {@code day} (0 before any). */
    private static long balanceAtEndOf(List<Entry> ledger, LocalDate day) {
        return ledger.stream().filter(e -> !FIRST.plusDays(e.day()).isAfter(day)).mapToLong(Entry::amount).sum();
    }

    /** A PLAN_FEE_DIRECT entry moves no balance (amount 0) and names what the payment method paid. */
    private static Entry entry(int day, String kind, String sku, long amount, long quantity) {
        return PLAN_FEE.equals(kind) ? new Entry(day, kind, sku, 0, quantity, Math.abs(amount))
                : new Entry(day, kind, sku, amount, quantity, 0);
    }

    private static long chargedIn(List<Entry> ledger, StatementPeriod period) {
        return ledger.stream().filter(e -> period.contains(FIRST.plusDays(e.day()))).mapToLong(Entry::charged).sum();
    }

    /** A ledger entry: its posting day (days after FIRST), kind, SKU, amount, quantity and charged amount. */
    record Entry(int day, String kind, String sku, long amount, long quantity, long charged) {
    }

    /** What the read model keeps of a ledger, and a statement from it as the query service builds one. */
    record ReadModel(List<LedgerTotal> totals, List<PlanFeeCharge> planFees, TreeMap<LocalDate, Long> closings,
                     long currentBalance) {

        static ReadModel of(List<Entry> ledger) {
            Map<List<Object>, long[]> sums = new TreeMap<>(java.util.Comparator.comparing(Object::toString));
            TreeMap<LocalDate, Long> closings = new TreeMap<>();
            List<PlanFeeCharge> planFees = new ArrayList<>();
            long balance = 0;
            for (Entry e : ledger) {
                LocalDate day = FIRST.plusDays(e.day());
                if (PLAN_FEE.equals(e.kind())) {
                    planFees.add(new PlanFeeCharge(day, e.sku(), e.charged(), "Visa ending 4242"));
                }
                long[] sum = sums.computeIfAbsent(List.of(day, e.kind(), e.sku()), key -> new long[2]);
                sum[0] += e.amount();
                sum[1] += e.quantity();
                balance += e.amount();
                closings.put(day, balance);
            }
            List<LedgerTotal> totals = new ArrayList<>();
            sums.forEach((key, sum) -> totals.add(new LedgerTotal((LocalDate) key.get(0), (String) key.get(1),
                    (String) key.get(2), sum[0], sum[1])));
            return new ReadModel(totals, planFees, closings, balance);
        }

        Statement statement(StatementPeriod period) {
            Optional<Long> before = Optional.ofNullable(closings.lowerEntry(period.from())).map(Map.Entry::getValue);
            Optional<KeptDay> earliest = Optional.ofNullable(closings.firstEntry()).map(first -> new KeptDay(
                    first.getValue(), totals.stream().filter(t -> t.day().equals(first.getKey()))
                    .collect(Collectors.summingLong(LedgerTotal::amountMicros))));
            long opening = OpeningBalance.of(before, earliest, currentBalance);
            return StatementBuilder.build("a1", period, opening, totals, planFees, List.of());
        }
    }
}
