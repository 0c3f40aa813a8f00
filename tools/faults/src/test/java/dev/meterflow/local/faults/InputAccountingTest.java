package dev.meterflow.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.local.deadletter.DeadLetter.Location;
import dev.meterflow.local.faults.Workload.Kind;
import dev.meterflow.local.faults.Workload.Send;
import dev.meterflow.metering.payments.MakePayment;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 16: the fault suite's accounting of every record it writes beside usage. */
class InputAccountingTest {

    private static final Instant AT = Instant.parse("2026-11-26T12:00:00Z");
    private static final Set<String> METERING_READS = Set.of(Topics.USAGE_EVENTS.name(),
            Topics.ACCOUNT_SETTINGS.name(), Topics.RATE_CARDS.name(), Topics.PAYMENT_RESULTS.name(),
            Topics.PAYMENT_COMMANDS.name());

    private final List<Send> sent = new ArrayList<>();
    private final Map<String, Location> placed = new HashMap<>();
    private final Map<Location, String> deadLettered = new HashMap<>();
    private final Set<String> rejectedCommands = new HashSet<>();
    private final Set<String> requestIds = new HashSet<>();
    private final Map<String, List<PaymentResult>> results = new HashMap<>();

    @Test
    void shouldAccountPoisonAsDeadLetteredByTheAppThatReadsItsTopicAndAsNotReadOnATopicNoAppReads() {
        // given poison on payment-results and recharge-requests, each in its reader's queue, and on tax-rates
        poison(Topics.PAYMENT_RESULTS.name(), 0, Topics.METERING_DLQ.name());
        poison(Topics.RECHARGE_REQUESTS.name(), 0, Topics.RECHARGE_REQUESTS_DLQ.name());
        poison(Topics.TAX_RATES.name(), 0, null);

        // when
        Map<String, InputAccounting.TopicFigures> figures = account();

        // then
        assertThat(figures.get(Topics.PAYMENT_RESULTS.name())).satisfies(topic -> {
            assertThat(topic.ok()).isTrue();
            assertThat(topic.deadLettered()).isEqualTo(1);
        });
        assertThat(figures.get(Topics.RECHARGE_REQUESTS.name()).deadLettered()).isEqualTo(1);
        assertThat(figures.get(Topics.TAX_RATES.name())).satisfies(topic -> {
            assertThat(topic.ok()).isTrue();
            assertThat(topic.notRead()).isEqualTo(1);
            assertThat(topic.line()).isEqualTo("records in = accounted for, tax-rates: 1 sent = 0 applied + 0 refused"
                    + " + 0 dead-lettered + 1 not read (no app reads tax-rates yet)");
        });
    }

    @Test
    void shouldReportPoisonThatNoQueueHoldsOrTheWrongQueueHolds() {
        // given an undecodable payment result nobody dead-lettered, and a request in metering's queue
        poison(Topics.PAYMENT_RESULTS.name(), 0, null);
        poison(Topics.RECHARGE_REQUESTS.name(), 0, Topics.METERING_DLQ.name());

        // when
        Map<String, InputAccounting.TopicFigures> figures = account();

        // then
        assertThat(figures.get(Topics.PAYMENT_RESULTS.name()).ok()).isFalse();
        assertThat(figures.get(Topics.PAYMENT_RESULTS.name()).misplaced()).singleElement().asString()
                .contains("not on metering-dlq");
        assertThat(figures.get(Topics.RECHARGE_REQUESTS.name()).misplaced()).singleElement().asString()
                .contains("not on recharge-requests-dlq but on metering-dlq");
    }

    @Test
    void shouldAccountARefusedPaymentCommandOnlyWhenRejectedAndNeverCharged() {
        // given two refused commands: one rejected, one that became a charge request
        PaymentCommand rejected = command("cmd-small");
        PaymentCommand charged = command("cmd-charged");
        refused(Topics.PAYMENT_COMMANDS.name(), "cmd-small", encode(rejected), 0);
        refused(Topics.PAYMENT_COMMANDS.name(), "cmd-charged", encode(charged), 1);
        rejectedCommands.add("cmd-small");
        requestIds.add(MakePayment.requestIdOf("a1", "cmd-charged"));

        // when
        InputAccounting.TopicFigures figures = account().get(Topics.PAYMENT_COMMANDS.name());

        // then
        assertThat(figures.refused()).isEqualTo(1);
        assertThat(figures.misplaced()).singleElement().asString().contains("cmd-charged",
                "a charge requested true");
    }

    @Test
    void shouldAccountAValidPaymentCommandAsAppliedOnlyWhenItsChargeWasAskedForAndItWasNotRefused() {
        // given three valid commands (issue 10 §1): one asked for, one refused, one neither
        applied("cmd-paid", 0);
        applied("cmd-refused", 1);
        applied("cmd-lost", 2);
        requestIds.add(MakePayment.requestIdOf("a1", "cmd-paid"));
        rejectedCommands.add("cmd-refused");

        // when
        InputAccounting.TopicFigures figures = account().get(Topics.PAYMENT_COMMANDS.name());

        // then only the first is applied; the other two are named
        assertThat(figures.applied()).isEqualTo(1);
        assertThat(figures.ok()).isFalse();
        assertThat(figures.misplaced()).hasSize(2).anySatisfy(line -> assertThat(line).contains("cmd-refused",
                "on payment-commands-rejected true")).anySatisfy(line -> assertThat(line).contains("cmd-lost",
                "a charge requested false"));
    }

    @Test
    void shouldAccountARefusedRechargeRequestByItsFailedResultAndDeadLetter() {
        // given a request the worker must refuse, answered FAILED and dead-lettered; one answered but not
        // dead-lettered
        refused(Topics.RECHARGE_REQUESTS.name(), "rr-small", new byte[] {1}, 0);
        refused(Topics.RECHARGE_REQUESTS.name(), "rr-token", new byte[] {1}, 1);
        deadLettered.put(new Location(Topics.RECHARGE_REQUESTS.name(), 0, 0), Topics.RECHARGE_REQUESTS_DLQ.name());
        failed("rr-small");
        failed("rr-token");

        // when
        InputAccounting.TopicFigures figures = account().get(Topics.RECHARGE_REQUESTS.name());

        // then
        assertThat(figures.refused()).isEqualTo(1);
        assertThat(figures.misplaced()).singleElement().asString().contains("rr-token",
                "expected on recharge-requests-dlq");
    }

    private Map<String, InputAccounting.TopicFigures> account() {
        InputAccounting.Evidence evidence = new InputAccounting.Evidence(deadLettered, METERING_READS,
                rejectedCommands, requestIds, results, Map.of(), 0);
        Map<String, InputAccounting.TopicFigures> byTopic = new HashMap<>();
        InputAccounting.account(sent, placed, Set.of(), evidence).forEach(topic -> byTopic.put(topic.topic(), topic));
        return byTopic;
    }

    private void poison(String topic, int offset, String queue) {
        String id = "poison-" + topic + "-" + offset;
        sent.add(new Send(topic, "a1", new byte[] {7}, id, Kind.POISON));
        Location at = new Location(topic, 0, offset);
        placed.put(id, at);
        if (queue != null) {
            deadLettered.put(at, queue);
        }
    }

    private void refused(String topic, String id, byte[] value, int offset) {
        sent.add(new Send(topic, "a1", value, id, Kind.REFUSED));
        placed.put(id, new Location(topic, 0, offset));
    }

    private void applied(String commandId, int offset) {
        sent.add(new Send(Topics.PAYMENT_COMMANDS.name(), "a1", encode(command(commandId)), commandId, Kind.APPLIED));
        placed.put(commandId, new Location(Topics.PAYMENT_COMMANDS.name(), 0, offset));
    }

    private void failed(String requestId) {
        results.put(requestId, List.of(PaymentResult.newBuilder().setRequestId(requestId).setAccountId("a1")
                .setReason(RechargeReason.AUTO_RECHARGE).setStatus(PaymentStatus.FAILED).setAmountCents(10)
                .setAttempts(List.of()).setCompletedAt(AT).build()));
    }

    private static PaymentCommand command(String commandId) {
        return PaymentCommand.newBuilder().setCommandId(commandId).setAccountId("a1").setAmountCents(25)
                .setPaymentMethodId(null).setRequestedAt(AT).build();
    }

    private static byte[] encode(PaymentCommand command) {
        return Topics.PAYMENT_COMMANDS.valueSerde().serializer().serialize(Topics.PAYMENT_COMMANDS.name(), command);
    }
}
