package dev.meterflow.api.statements;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11: a plan fee charged to a card is on the statement with what the card paid, and moves no balance. */
class StatementBuilderTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 1);
    private static final StatementPeriod NOVEMBER = new StatementPeriod(DAY, LocalDate.of(2026, 11, 30));

    @Test
    void shouldShowAPlanFeePaidByCardWithItsChargedAmountAndMethodWithoutMovingTheBalance() {
        List<LedgerTotal> totals = List.of(new LedgerTotal(DAY, "PLAN_FEE_DIRECT", "plan.fee", 0, 1),
                new LedgerTotal(DAY, "USAGE", "call.minutes", -3_000_000, 10));
        List<PlanFeeCharge> fees = List.of(new PlanFeeCharge(DAY, "plan.fee", 45_000_000, "Visa ending 4242"));

        Statement statement = StatementBuilder.build("a1", NOVEMBER, 20_000_000, totals, fees, List.of());

        Statement.Line fee = statement.days().get(0).lines().get(0);
        assertThat(fee.kind()).isEqualTo("PLAN_FEE_DIRECT");
        assertThat(fee.description()).isEqualTo("Plan fee $45.00, paid by Visa ending 4242, not from the balance");
        assertThat(fee.chargedMicros()).isEqualTo(45_000_000);
        assertThat(fee.amountMicros()).isZero();
        assertThat(statement.totals().planFeesChargedMicros()).isEqualTo(45_000_000);
        assertThat(statement.totals().planFeesMicros()).isZero();
        assertThat(statement.closingBalanceMicros()).as("only the usage moved it").isEqualTo(17_000_000);
        assertThat(StatementHtml.render(statement))
                .contains("Plan fee $45.00, paid by Visa ending 4242, not from the balance",
                        "Plan fees paid by card or bank account, not from the balance");
    }

    @Test
    void shouldNameEachPlanFeeOfItsDayAndSkuAndLeaveOtherLinesAlone() {
        LocalDate next = DAY.plusDays(1);
        List<LedgerTotal> totals = List.of(new LedgerTotal(DAY, "PLAN_FEE_DIRECT", "plan.fee", 0, 2),
                new LedgerTotal(next, "USAGE", "call.minutes", -1_000_000, 1));
        List<PlanFeeCharge> fees = List.of(new PlanFeeCharge(DAY, "plan.fee", 45_000_000, "Visa ending 4242"),
                new PlanFeeCharge(DAY, "plan.fee", 10_000_000, "pm_usBankAccount_success"),
                new PlanFeeCharge(DAY, "plan.fee.annual", 99_000_000, "Visa ending 4242"));

        Statement statement = StatementBuilder.build("a1", NOVEMBER, 0, totals, fees, List.of());

        assertThat(statement.days().get(0).lines().get(0).description()).isEqualTo("Plan fee $45.00, paid by Visa"
                + " ending 4242; $10.00, paid by pm_usBankAccount_success, not from the balance");
        assertThat(statement.days().get(0).lines().get(0).chargedMicros()).as("the annual fee is another line's")
                .isEqualTo(55_000_000);
        assertThat(statement.days().get(1).lines().get(0).chargedMicros()).isZero();
        assertThat(statement.days().get(1).lines().get(0).description()).isEqualTo("Usage: call.minutes");
    }
}
