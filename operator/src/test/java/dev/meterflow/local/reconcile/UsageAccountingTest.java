package dev.meterflow.local.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.local.reconcile.UsageAccounting.EventKey;
import dev.meterflow.local.reconcile.UsageAccounting.InputRecord;
import dev.meterflow.local.reconcile.UsageAccounting.PartitionFigures;
import dev.meterflow.local.reconcile.UsageAccounting.Position;
import dev.meterflow.metering.payments.PlanFeeRules;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 16, item 3: reconcile did not check that the usage in equals debited + parked + dead-lettered. */
class UsageAccountingTest {

    @Test
    void shouldAccountForEveryRecordOfAPartition() {
        List<InputRecord> inputs = List.of(
                new InputRecord(0, 10, "a1", "e1"),     // debited
                new InputRecord(0, 11, "a1", "e1"),     // a re-delivery: duplicate
                new InputRecord(0, 12, null, null),     // poison: dead-lettered
                new InputRecord(0, 13, "a2", "e2"),     // parked
                new InputRecord(0, 14, "a2", "e2"));    // replayed after the fix: debited

        UsageAccounting.Result result = UsageAccounting.account(new UsageAccounting.Input(inputs,
                Set.of(new EventKey("a1", "e1"), new EventKey("a2", "e2")), Map.of(new EventKey("a2", "e2"), 1),
                Set.of(new Position(0, 12)), null, Map.of()));

        assertThat(result.differences()).isEmpty();
        assertThat(result.partitions()).containsExactly(new PartitionFigures(0, 10, 15, 2, 1, 1, 1, 0, 0, 0));
        assertThat(result.partitions().get(0).toString())
                .isEqualTo("usage-events-0 [10, 15): 2 debited, 1 duplicates, 1 parked, 1 dead-lettered");
    }

    @Test
    void shouldReportAnEventThatWasNeitherDebitedParkedNorDeadLettered() {
        List<InputRecord> inputs = List.of(new InputRecord(1, 0, "a1", "lost-1"), new InputRecord(1, 1, null, null));

        UsageAccounting.Result result = UsageAccounting.account(new UsageAccounting.Input(inputs, Set.of(), Map.of(),
                Set.of(), null, Map.of()));

        assertThat(result.differences()).extracting(Difference::toString).containsExactlyInAnyOrder(
                "USAGE account='a1': eventId 'lost-1' on usage-events-1: 1 records, 0 parked, none debited or "
                        + "dead-lettered",
                "USAGE: usage-events-1@1 could not be decoded and is not in metering-dlq");
        assertThat(result.partitions().get(0).lost()).isEqualTo(1);
    }

    @Test
    void shouldTellApartTheSameEventIdOfTwoAccounts() {
        List<InputRecord> inputs = List.of(new InputRecord(0, 0, "a1", "e1"), new InputRecord(0, 1, "a2", "e1"));

        UsageAccounting.Result result = UsageAccounting.account(new UsageAccounting.Input(inputs,
                Set.of(new EventKey("a1", "e1")), Map.of(), Set.of(), null, Map.of()));

        assertThat(result.differences()).singleElement().satisfies(difference ->
                assertThat(difference.accountId()).isEqualTo("a2"));
    }

    @Test
    void shouldLeaveOutWhatTheMeteringAppHasNotProcessedYet() {
        List<InputRecord> inputs = List.of(new InputRecord(0, 0, "a1", "e1"), new InputRecord(0, 1, "a1", "e2"));

        UsageAccounting.Result result = UsageAccounting.account(new UsageAccounting.Input(inputs,
                Set.of(new EventKey("a1", "e1")), Map.of(), Set.of(), Map.of(0, 1L), Map.of()));

        assertThat(result.differences()).isEmpty();
        assertThat(result.partitions()).containsExactly(new PartitionFigures(0, 0, 2, 1, 0, 0, 0, 0, 1, 0));
    }

    @Test
    void shouldCountAPlanFeeWhoseDirectChargeHasNoResultYetAsBeingChargedNotLost() {
        // given issue 10 §3: a plan fee of a1 and one of agency's sub-account s1, re-delivered, both charged to a
        // bank account that has not settled; and an event of a1 that nothing answers
        List<InputRecord> inputs = List.of(new InputRecord(0, 0, "a1", "fee-1"), new InputRecord(0, 1, "s1", "fee-2"),
                new InputRecord(0, 2, "s1", "fee-2"), new InputRecord(0, 3, "a1", "lost-1"));
        Map<String, String> open = Map.of(PlanFeeRules.requestIdOf("a1", "fee-1"), "a1",
                PlanFeeRules.requestIdOf("agency", "fee-2"), "agency");

        // when
        UsageAccounting.Result result = UsageAccounting.account(new UsageAccounting.Input(inputs, Set.of(), Map.of(),
                Set.of(), null, open));

        // then only the unanswered event is lost
        assertThat(result.differences()).singleElement().asString().contains("lost-1");
        assertThat(result.partitions()).containsExactly(new PartitionFigures(0, 0, 4, 0, 1, 0, 0, 1, 0, 2));
        assertThat(result.partitions().get(0).toString()).isEqualTo("usage-events-0 [0, 4): 0 debited, 1 duplicates,"
                + " 0 parked, 0 dead-lettered, 1 LOST, 2 plan fees being charged");
    }
}
