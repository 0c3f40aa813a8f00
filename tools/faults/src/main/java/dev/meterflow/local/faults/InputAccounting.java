package dev.meterflow.local.faults;

import dev.meterflow.local.deadletter.DeadLetter.Location;
import dev.meterflow.local.faults.Workload.Kind;
import dev.meterflow.local.faults.Workload.Send;
import dev.meterflow.metering.payments.MakePayment;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.topics.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Issue 16: for every topic but {@code usage-events} (whose own check is {@link FaultVerifier}'s), each record the
 * suite wrote is found where its kind says it must be: applied, refused with a reason, dead-lettered by the app that
 * reads the topic, or not read (a topic no app reads yet). A pure function of what was sent and what was read.
 */
final class InputAccounting {

    /** Where the records went, as read from the outputs. */
    record Evidence(Map<Location, String> deadLettered, Set<String> meteringReads, Set<String> rejectedCommandIds,
                    Set<String> requestIds, Map<String, List<PaymentResult>> resultsByRequestId,
                    Map<String, AccountSettings> storedSettings, long rejectedSettings) {
    }

    /** Where one record went. */
    private enum Outcome { APPLIED, REFUSED, DEAD_LETTERED, NOT_READ, MISPLACED }

    private record Fate(Outcome outcome, String detail) {
        static Fate of(Outcome outcome) {
            return new Fate(outcome, "");
        }

        static Fate misplaced(String detail) {
            return new Fate(Outcome.MISPLACED, detail);
        }
    }

    /** One topic: how many records were sent, where each went, and the records that went elsewhere. */
    record TopicFigures(String topic, long sent, long applied, long refused, long deadLettered, long notRead,
                        List<String> misplaced) {

        boolean ok() {
            return misplaced.isEmpty() && sent == applied + refused + deadLettered + notRead;
        }

        /** {@code topic: N sent = a applied + r refused + d dead-lettered (+ n not read)}. */
        String line() {
            return "records in = accounted for, " + topic + ": " + sent + " sent = " + applied + " applied + "
                    + refused + " refused + " + deadLettered + " dead-lettered"
                    + (notRead > 0 ? " + " + notRead + " not read (no app reads " + topic + " yet)" : "");
        }
    }

    private InputAccounting() {
    }

    /**
     * @param sent   every acknowledged record of the suite's but usage (each with where it landed in {@code placed})
     * @param forged request ids the suite re-sent with another amount: answered FAILED, never dead-lettered
     */
    static List<TopicFigures> account(List<Send> sent, Map<String, Location> placed, Set<String> forged,
                                      Evidence evidence) {
        Map<String, List<Send>> byTopic = new TreeMap<>();
        sent.stream().filter(send -> !send.topic().equals(Topics.USAGE_EVENTS.name()))
                .forEach(send -> byTopic.computeIfAbsent(send.topic(), topic -> new ArrayList<>()).add(send));
        Map<String, AccountSettings> lastSettings = new LinkedHashMap<>();
        sent.stream().filter(send -> send.kind() == Kind.APPLIED && send.topic().equals(Topics.ACCOUNT_SETTINGS.name()))
                .forEach(send -> lastSettings.put(send.key(), settings(send)));
        List<TopicFigures> figures = new ArrayList<>();
        byTopic.forEach((topic, sends) -> figures.add(topic(topic, sends, placed, forged, lastSettings, evidence)));
        return figures;
    }

    private static TopicFigures topic(String topic, List<Send> sends, Map<String, Location> placed, Set<String> forged,
                                      Map<String, AccountSettings> lastSettings, Evidence evidence) {
        long applied = 0;
        long refused = 0;
        long deadLettered = 0;
        long notRead = 0;
        List<String> misplaced = new ArrayList<>();
        if (topic.equals(Topics.ACCOUNT_SETTINGS.name()) && evidence.rejectedSettings() > 0) {
            misplaced.add(evidence.rejectedSettings() + " on account-settings-rejected, though none was sent to refuse");
        }
        for (Send send : sends) {
            Location at = placed.get(send.eventId());
            String queue = at == null ? null : evidence.deadLettered().get(at);
            Fate fate = switch (send.kind()) {
                case POISON -> poison(topic, queue, evidence);
                case REFUSED -> refused(send, queue, forged, evidence);
                case APPLIED -> applied(send, queue, lastSettings, evidence);
                default -> Fate.misplaced("a " + send.kind() + " record on " + topic);
            };
            switch (fate.outcome()) {
                case APPLIED -> applied++;
                case REFUSED -> refused++;
                case DEAD_LETTERED -> deadLettered++;
                case NOT_READ -> notRead++;
                case MISPLACED -> misplaced.add(send.eventId() + " at " + at + ": " + fate.detail());
            }
        }
        return new TopicFigures(topic, sends.size(), applied, refused, deadLettered, notRead, List.copyOf(misplaced));
    }

    /** Poison is dead-lettered by the app that reads its topic: the worker for requests, metering for the rest. */
    private static Fate poison(String topic, String queue, Evidence evidence) {
        String expected = topic.equals(Topics.RECHARGE_REQUESTS.name()) ? Topics.RECHARGE_REQUESTS_DLQ.name()
                : evidence.meteringReads().contains(topic) ? Topics.METERING_DLQ.name() : null;
        if (expected == null) {
            return queue == null ? Fate.of(Outcome.NOT_READ)
                    : Fate.misplaced("dead-lettered on " + queue + " though no app reads " + topic);
        }
        return expected.equals(queue) ? Fate.of(Outcome.DEAD_LETTERED)
                : Fate.misplaced("not on " + expected + (queue == null ? "" : " but on " + queue));
    }

    private static Fate refused(Send send, String queue, Set<String> forged, Evidence evidence) {
        if (send.topic().equals(Topics.PAYMENT_COMMANDS.name())) {
            PaymentCommand command = Topics.PAYMENT_COMMANDS.valueSerde().deserializer()
                    .deserialize(send.topic(), send.value());
            boolean rejected = evidence.rejectedCommandIds().contains(command.getCommandId());
            boolean requested = evidence.requestIds().contains(MakePayment.requestIdOf(command.getAccountId(),
                    command.getCommandId()));
            return rejected && !requested && queue == null ? Fate.of(Outcome.REFUSED)
                    : Fate.misplaced("on payment-commands-rejected " + rejected + ", a charge requested " + requested
                    + ", dead-lettered on " + queue);
        }
        String requestId = send.eventId().startsWith("reused-") ? send.eventId().substring("reused-".length())
                : send.eventId();
        boolean failed = evidence.resultsByRequestId().getOrDefault(requestId, List.of()).stream()
                .anyMatch(result -> result.getStatus() == PaymentStatus.FAILED);
        // a reused id is refused by the attempt log (a FAILED result); a request that fails the worker's checks
        // is also dead-lettered with its reason
        String expectedQueue = forged.contains(requestId) ? null : Topics.RECHARGE_REQUESTS_DLQ.name();
        return failed && Objects.equals(expectedQueue, queue) ? Fate.of(Outcome.REFUSED)
                : Fate.misplaced("a FAILED result " + failed + ", dead-lettered on " + queue + ", expected on "
                + expectedQueue);
    }

    private static Fate applied(Send send, String queue, Map<String, AccountSettings> lastSettings,
                                Evidence evidence) {
        if (queue != null) {
            return Fate.misplaced("dead-lettered on " + queue);
        }
        if (send.topic().equals(Topics.PAYMENT_COMMANDS.name())) {
            return accepted(send, evidence);
        }
        if (!send.topic().equals(Topics.ACCOUNT_SETTINGS.name())) {
            return Fate.of(Outcome.APPLIED); // the rate card: every debit is priced by it (the debit checks)
        }
        AccountSettings sentSettings = settings(send);
        boolean last = sentSettings.equals(lastSettings.get(send.key()));
        // settings replaced later leave no trace of their own; the last of each account is what the store holds
        return !last || sentSettings.equals(evidence.storedSettings().get(send.key())) ? Fate.of(Outcome.APPLIED)
                : Fate.misplaced("not the settings the store holds for " + send.key());
    }

    /** A valid payment command (issue 10 §1): a charge asked for under its derived request id, never refused. */
    private static Fate accepted(Send send, Evidence evidence) {
        PaymentCommand command = Topics.PAYMENT_COMMANDS.valueSerde().deserializer()
                .deserialize(send.topic(), send.value());
        boolean rejected = evidence.rejectedCommandIds().contains(command.getCommandId());
        boolean requested = evidence.requestIds().contains(MakePayment.requestIdOf(command.getAccountId(),
                command.getCommandId()));
        return requested && !rejected ? Fate.of(Outcome.APPLIED)
                : Fate.misplaced("a charge requested " + requested + ", on payment-commands-rejected " + rejected);
    }

    private static AccountSettings settings(Send send) {
        return Topics.ACCOUNT_SETTINGS.valueSerde().deserializer().deserialize(send.topic(), send.value());
    }
}
