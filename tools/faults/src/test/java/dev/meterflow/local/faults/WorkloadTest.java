package dev.meterflow.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.local.faults.Workload.Kind;
import dev.meterflow.local.faults.Workload.Payer;
import dev.meterflow.local.faults.Workload.Send;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The fault suite's input: deterministic for a seed, every kind of payer and record, expectations restated. */
class WorkloadTest {

    private static final Instant BASE = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void shouldSendTheSameRecordsForTheSameSeed() {
        // when two workloads of the same seed make a cycle
        List<Send> first = new Workload(14, 7L, BASE).cycle(200);
        List<Send> second = new Workload(14, 7L, BASE).cycle(200);

        // then they are the same records in the same order
        assertThat(first).extracting(Send::eventId).containsExactlyElementsOf(
                second.stream().map(Send::eventId).toList());
        assertThat(first).zipSatisfy(second, (a, b) -> assertThat(a.value()).isEqualTo(b.value()));
    }

    @Test
    void shouldLeaveTheCyclesAsTheSeedMakesThemHoweverMuchExtraUsageWasSent() {
        // given two workloads of the same seed, one of which sent extra usage for a metering kill after its first
        // cycle
        Workload plain = new Workload(14, 7L, BASE);
        Workload extra = new Workload(14, 7L, BASE);
        plain.cycle(200);
        extra.cycle(200);
        List<Send> more = Stream.generate(extra::extraUsage).limit(300).toList();

        // when both make their next cycle
        List<Send> second = plain.cycle(200);
        List<Send> secondAfterExtra = extra.cycle(200);

        // then the cycles are the same records, and the extra usage fresh events to debit, never re-delivered
        assertThat(secondAfterExtra).extracting(Send::eventId).containsExactlyElementsOf(
                second.stream().map(Send::eventId).toList());
        assertThat(secondAfterExtra).zipSatisfy(second, (a, b) -> assertThat(a.value()).isEqualTo(b.value()));
        assertThat(more).extracting(Send::kind).containsOnly(Kind.DEBIT);
        assertThat(more).extracting(Send::eventId).doesNotHaveDuplicates().allSatisfy(id ->
                assertThat(id).startsWith("flt-extra-"));
    }

    @Test
    void shouldGiveEveryKindOfPayerAnAccountWithCardsOfItsOwn() {
        // when
        List<Workload.Account> accounts = new Workload(14, 7L, BASE).accounts();

        // then
        assertThat(accounts).extracting(Workload.Account::payer).containsAll(Arrays.asList(Payer.values()));
        assertThat(accounts).filteredOn(account -> account.parent() == null).hasSize(14)
                .allSatisfy(account -> assertThat(account.primary()).contains("__" + account.id())
                        .startsWith(account.payer() == Payer.PLAN_FEE_BANK ? "pm_usBankAccount_success" : "pm_card_"));
    }

    @Test
    void shouldSendTheMonthBeforeTheRunFirstStampedInThatMonthForTheAccountsWithAnAddress() {
        // given
        Workload workload = new Workload(14, 7L, BASE);

        // when
        List<Send> settings = workload.taxMonthSettings();
        List<Send> usage = workload.taxMonthUsage();

        // then the accounts with a service address get settings, then usage, all stamped in October
        assertThat(workload.taxMonth()).hasToString("2026-10");
        assertThat(settings).extracting(Send::topic).containsOnly(Topics.ACCOUNT_SETTINGS.name());
        assertThat(settings).extracting(Send::key)
                .containsExactly("flt-acct-001", "flt-acct-002", "flt-acct-012", "flt-acct-014");
        assertThat(usage).extracting(Send::topic).containsOnly(Topics.USAGE_EVENTS.name());
        assertThat(settings.get(0).timestamp()).isEqualTo(Instant.parse("2026-10-31T00:00:00Z"));
        assertThat(usage).allSatisfy(send -> assertThat(send.timestamp()).isBetween(
                Instant.parse("2026-10-31T12:00:00Z"), Instant.parse("2026-10-31T23:59:59Z")));
        // and each has three events of taxable usage, the bank payer its plan fee too
        List<UsageEvent> events = workload.taxMonthEvents();
        assertThat(usage).extracting(Send::eventId)
                .containsExactlyElementsOf(events.stream().map(UsageEvent::getEventId).toList());
        assertThat(events).hasSize(4 * Workload.TAX_MONTH_EVENTS + 1)
                .filteredOn(Workload::planFee).extracting(UsageEvent::getAccountId).containsExactly("flt-acct-012");
        // and the taxed are served in California and New York; the fixed-amount payers are exempt
        assertThat(workload.taxedRates()).containsExactly(Map.entry("flt-acct-001", Workload.CALIFORNIA_PPM),
                Map.entry("flt-acct-012", Workload.NEW_YORK_PPM), Map.entry("flt-acct-014", Workload.CALIFORNIA_PPM));
        assertThat(workload.settings(account(workload, "flt-acct-002"), BASE)).satisfies(exempt -> {
            assertThat(exempt.getServiceAddress().getRegion()).isEqualTo("CA");
            assertThat(exempt.getTaxExempt()).isTrue();
        });
    }

    @Test
    void shouldGiveAnAgencyThreeSubAccountsBilledToItAndNoCardsOfTheirOwn() {
        // given
        Workload workload = new Workload(14, 7L, BASE);
        Workload.Account agency = workload.accounts().stream().filter(a -> a.payer() == Payer.AGENCY).findFirst()
                .orElseThrow();

        // then
        assertThat(workload.subAccounts()).hasSize(3).containsValue(agency.id());
        workload.subAccounts().keySet().forEach(sub -> {
            assertThat(workload.payerOf(sub)).isEqualTo(agency.id());
            assertThat(workload.settings(account(workload, sub), BASE)).satisfies(settings -> {
                assertThat(settings.getParentAccountId()).isEqualTo(agency.id());
                assertThat(settings.getPaymentMethods()).isEmpty();
                assertThat(settings.getAutoRecharge().getEnabled()).isFalse();
            });
        });
        assertThat(workload.payerOf(agency.id())).isEqualTo(agency.id());
    }

    @Test
    void shouldSendPaymentCommandsAndPlanFeesWithIdsDerivedFromTheAccountAndTheCycle() {
        // given
        Workload workload = new Workload(14, 7L, BASE);

        // when two cycles are made
        List<Send> first = workload.cycle(50);
        List<Send> second = workload.cycle(50);

        // then each has two card payments, one bank payment (the first cycle also the returned one), as commands
        // that must be applied, and one plan fee per opted-in account, as usage to debit
        assertThat(first).filteredOn(send -> send.topic().equals(Topics.PAYMENT_COMMANDS.name())
                && send.kind() == Kind.APPLIED).extracting(Send::eventId).containsExactlyInAnyOrder(
                "flt-pay-flt-acct-008-c1-0", "flt-pay-flt-acct-008-c1-1", "flt-pay-flt-acct-009-c1-0",
                "flt-pay-flt-acct-009-c1-1");
        assertThat(second).filteredOn(send -> send.topic().equals(Topics.PAYMENT_COMMANDS.name())
                && send.kind() == Kind.APPLIED).extracting(Send::eventId).containsExactlyInAnyOrder(
                "flt-pay-flt-acct-008-c2-0", "flt-pay-flt-acct-008-c2-1", "flt-pay-flt-acct-009-c2-0");
        List<UsageEvent> fees = first.stream().filter(send -> send.kind() == Kind.DEBIT)
                .map(send -> Topics.USAGE_EVENTS.valueSerde().deserializer().deserialize(send.topic(), send.value()))
                .filter(Workload::planFee).toList();
        assertThat(fees).extracting(UsageEvent::getAccountId).containsExactlyInAnyOrder("flt-acct-010",
                "flt-acct-011", "flt-acct-012");
        assertThat(fees).allSatisfy(fee -> assertThat(Workload.price(fee)).isEqualTo(3_000_000));
        // and the bank payments lead each cycle, to be parked when its worker kills come
        assertThat(first.subList(0, 2)).extracting(Send::eventId).containsExactlyInAnyOrder(
                "flt-pay-flt-acct-009-c1-0", "flt-pay-flt-acct-009-c1-1");
        assertThat(second.get(0).eventId()).isEqualTo("flt-pay-flt-acct-009-c2-0");
        // and go to the account's bank accounts: the settling one, and the returned one once
        assertThat(first).filteredOn(send -> send.topic().equals(Topics.PAYMENT_COMMANDS.name())
                        && send.key().equals("flt-acct-009")).extracting(send -> Topics.PAYMENT_COMMANDS.valueSerde()
                        .deserializer().deserialize(send.topic(), send.value()).getPaymentMethodId())
                .containsExactlyInAnyOrder("pm_usBankAccount_success__flt-acct-009",
                        "pm_usBankAccount_insufficientFunds__flt-acct-009");
    }

    private static Workload.Account account(Workload workload, String id) {
        return workload.accounts().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void shouldMixDebitsReDeliveriesUnpricedUsageAndPoisonOnEveryTopicMeteringReadsIntoACycle() {
        // when
        List<Send> cycle = new Workload(14, 7L, BASE).cycle(200);

        // then
        Map<Kind, Long> kinds = cycle.stream().collect(Collectors.groupingBy(Send::kind, Collectors.counting()));
        // poison: 6 kinds on usage-events, 3 on each compacted topic (no tombstone), 4 on each other, the near-1 MB
        // three plan fees beside the 200 usage events; four valid payment commands (issue 10)
        assertThat(kinds).containsEntry(Kind.DEBIT, 203L).containsEntry(Kind.APPLIED, 4L).containsEntry(Kind.REDELIVERY, 10L)
                .containsEntry(Kind.UNPRICED, 2L).containsEntry(Kind.POISON, 6L + 3 * 3 + 3 * 4 + 1)
                .containsEntry(Kind.REFUSED, 4L);
        assertThat(cycle).filteredOn(send -> send.kind() == Kind.POISON).extracting(Send::value)
                .containsNull();
        // issue 16: poison on every topic either app reads, never a tombstone on a compacted one
        assertThat(cycle).filteredOn(send -> send.kind() == Kind.POISON).extracting(Send::topic)
                .containsAll(BadRecords.TOPICS);
        assertThat(cycle).filteredOn(send -> send.value() == null).extracting(Send::topic)
                .doesNotContain(Topics.ACCOUNT_SETTINGS.name(), Topics.RATE_CARDS.name(), Topics.TAX_RATES.name());
        // and valid records that must be refused: payment commands and recharge requests
        assertThat(cycle).filteredOn(send -> send.kind() == Kind.REFUSED).extracting(Send::topic)
                .containsOnly(Topics.PAYMENT_COMMANDS.name(), Topics.RECHARGE_REQUESTS.name());
        // and a re-delivery is the same event as one sent before, byte for byte
        Map<String, Send> debits = cycle.stream().filter(send -> send.kind() == Kind.DEBIT)
                .collect(Collectors.toMap(Send::eventId, Function.identity()));
        assertThat(cycle).filteredOn(send -> send.kind() == Kind.REDELIVERY)
                .allSatisfy(again -> assertThat(again.value()).isEqualTo(debits.get(again.eventId()).value()));
    }

    @Test
    void shouldSendOneRecordJustUnderOneMegabytePerRunOnTheTopicTheSeedPicks() {
        // given
        Workload workload = new Workload(14, 9L, BASE);

        // when two cycles are made
        List<Send> first = workload.cycle(50);
        List<Send> second = workload.cycle(50);

        // then only the first has it, on the seed's topic
        assertThat(first).filteredOn(send -> send.value() != null && send.value().length == BadRecords.NEAR_LIMIT)
                .singleElement().satisfies(send -> assertThat(send.topic()).isEqualTo(workload.nearLimitTopic()));
        assertThat(second).noneMatch(send -> send.value() != null && send.value().length > 100_000);
        assertThat(workload.nearLimitTopic()).isEqualTo(BadRecords.TOPICS.get(9 % BadRecords.TOPICS.size()));
    }

    @Test
    void shouldReadEveryTopicTheWorkloadPoisonsButTheWorkersAndTaxRatesInTheMeteringTopology() {
        // the accounting expects poison in metering-dlq exactly for the topics the topology reads
        assertThat(FaultVerifier.meteringReads()).contains(Topics.USAGE_EVENTS.name(),
                Topics.ACCOUNT_SETTINGS.name(), Topics.RATE_CARDS.name(), Topics.PAYMENT_RESULTS.name(),
                Topics.PAYMENT_COMMANDS.name()).doesNotContain(Topics.RECHARGE_REQUESTS.name());
    }

    @Test
    void shouldPriceUsageByRoundingUpToWholeBillingUnits() {
        // given 61 seconds of local calls, billed per started minute at $0.025
        UsageEvent call = UsageEvent.newBuilder().setEventId("e-1").setAccountId("a").setSku("call.minutes.local")
                .setQuantity(61).setOccurredAt(BASE).setAttributes(Map.of()).build();

        // then two minutes are charged
        assertThat(Workload.price(call)).isEqualTo(50_000);
        assertThat(Topics.USAGE_EVENTS.valueSerde().deserializer().deserialize(Topics.USAGE_EVENTS.name(),
                Workload.encode(call))).isEqualTo(call);
    }
}
