package dev.meterflow.local.faults;

import dev.meterflow.gatewaysim.Charge;
import dev.meterflow.local.deadletter.DeadLetter;
import dev.meterflow.local.deadletter.DeadLetter.Location;
import dev.meterflow.local.deadletter.DeadLetters;
import dev.meterflow.local.faults.Workload.Account;
import dev.meterflow.local.faults.Workload.Kind;
import dev.meterflow.local.faults.Workload.Payer;
import dev.meterflow.local.faults.Workload.Send;
import dev.meterflow.metering.topology.MeteringTopology;
import dev.meterflow.metering.topology.StoreNames;
import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.schemas.UsageRollup;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Compares what came out, read with {@code read_committed} as any downstream consumer reads it, with what the
 * input alone says must have come out, and with what the gateway simulator recorded as charged. Nothing here
 * asks the pipeline what it meant to do.
 */
final class FaultVerifier {

    private static final int SHOWN = 8;

    private final String bootstrap;
    private final Workload workload;
    private final int maxSoftDeclinesPerDay;

    FaultVerifier(String bootstrap, Workload workload, int maxSoftDeclinesPerDay) {
        this.bootstrap = bootstrap;
        this.workload = workload;
        this.maxSoftDeclinesPerDay = maxSoftDeclinesPerDay;
    }

    /**
     * What the suite wrote.
     *
     * @param delivered every record the broker acknowledged, in send order, on every topic
     * @param placed    where each record landed, by its id, but for usage to debit (whose ids repeat)
     * @param uncertain ids of records whose send failed: the broker may or may not have them (not in
     *                  {@code delivered}; the debit checks accept either for them)
     */
    record Sent(List<Send> delivered, Map<String, Location> placed, Set<String> uncertain) {
    }

    /**
     * @param forged     request ids the suite re-sent with another amount (a reused request id)
     * @param charges    every charge attempt the gateway recorded
     */
    void verify(Sent sent, Map<String, Long> forged, List<Charge> charges, FaultReport report) {
        List<Send> delivered = sent.delivered();
        Set<String> uncertain = sent.uncertain();
        List<LedgerEntry> ledger = read(Topics.LEDGER_ENTRIES);
        List<RechargeRequest> requests = read(Topics.RECHARGE_REQUESTS);
        List<PaymentResult> results = read(Topics.PAYMENT_RESULTS);
        List<Receipt> receipts = read(Topics.RECEIPTS);
        List<BillingNotification> notifications = read(Topics.BILLING_NOTIFICATIONS);
        List<AccountStatusChanged> statuses = read(Topics.ACCOUNT_STATUS);
        Map<String, AccountBalance> balances = read(Topics.ACCOUNT_BALANCES).stream()
                .collect(Collectors.toMap(AccountBalance::getAccountId, Function.identity(), (a, b) -> b));
        List<UsageEvent> parked = read(Topics.USAGE_UNPRICED);
        List<ConsumerRecord<byte[], byte[]>> deadLettered = TopicReader.readCommitted(bootstrap,
                Topics.METERING_DLQ.name());

        Set<String> meteringReads = meteringReads();
        usage(sent, meteringReads, ledger, parked, deadLettered, report);
        inputs(sent, forged.keySet(), meteringReads, requests, results, report);
        // a run that crossed a real month end saw that month's tax run too (FlowChecks.taxes)
        List<YearMonth> endedDuringRun = FlowChecks.monthsEnded(workload.runStart(), Instant.now());
        balances(delivered, uncertain, charges, ledger, balances, endedDuringRun, report);
        rollups(delivered, report);
        recharges(requests, results, receipts, charges, forged, report);
        publishedOnce(receipts, notifications, report);
        cards(charges, report);
        pauses(statuses, notifications, results, balances, report);
        flows(delivered, ledger, requests, notifications, statuses, charges, endedDuringRun, report);
    }

    /** Issue 10's flows: one-time and bank payments, plan fees charged directly, agency accounts. */
    private void flows(List<Send> delivered, List<LedgerEntry> ledger, List<RechargeRequest> requests,
                       List<BillingNotification> notifications, List<AccountStatusChanged> statuses,
                       List<Charge> charges, List<YearMonth> endedDuringRun, FaultReport report) {
        List<PaymentCommand> commands = delivered.stream().filter(send -> send.kind() == Kind.APPLIED
                        && send.topic().equals(Topics.PAYMENT_COMMANDS.name()))
                .map(send -> Topics.PAYMENT_COMMANDS.valueSerde().deserializer().deserialize(send.topic(),
                        send.value())).toList();
        List<UsageEvent> events = distinctEvents(delivered);
        Map<String, String> agencyOf = workload.subAccounts();
        List<FlowChecks.Verdict> verdicts = List.of(
                FlowChecks.payments(commands, ledger, notifications),
                FlowChecks.charges(charges, ledger, requests),
                FlowChecks.planFees(events.stream().filter(Workload::planFee).toList(), Workload::price, ledger,
                        charges),
                FlowChecks.taxes(workload.taxMonth(), endedDuringRun, workload.taxedRates(),
                        workload.taxMonthEvents(), events, Workload::price, ledger),
                FlowChecks.agencyDebits(agencyOf, events.stream().filter(e -> agencyOf.containsKey(e.getAccountId()))
                        .toList(), ledger),
                FlowChecks.cascade(agencyOf, statuses));
        for (FlowChecks.Verdict verdict : verdicts) {
            verdict.figures().forEach(report::figure);
            report.check(verdict.check(), verdict.ok(), first(verdict.wrong()));
        }
        ledger.stream().collect(Collectors.groupingBy(LedgerEntry::getKind, TreeMap::new,
                Collectors.counting())).forEach((kind, count) -> report.figure("ledger entries " + kind, count));
    }

    /** Every usage event the broker acknowledged, once, whichever of its copies came first. */
    private static List<UsageEvent> distinctEvents(List<Send> delivered) {
        Set<String> seen = new HashSet<>();
        List<UsageEvent> events = new ArrayList<>();
        for (Send send : delivered) {
            if (debits(send) && seen.add(send.eventId())) {
                events.add(Topics.USAGE_EVENTS.valueSerde().deserializer().deserialize(Topics.USAGE_EVENTS.name(),
                        send.value()));
            }
        }
        return events;
    }

    private void usage(Sent sent, Set<String> meteringReads, List<LedgerEntry> ledger, List<UsageEvent> parked,
                       List<ConsumerRecord<byte[], byte[]>> deadLettered, FaultReport report) {
        Set<String> uncertain = sent.uncertain();
        List<Send> delivered = sent.delivered().stream()
                .filter(send -> send.topic().equals(Topics.USAGE_EVENTS.name())).toList();
        Set<String> mustDebit = ids(delivered, Kind.DEBIT);
        mustDebit.addAll(ids(delivered, Kind.REDELIVERY));
        Set<String> mustPark = ids(delivered, Kind.UNPRICED);
        // poison on every topic metering reads goes to metering-dlq; the worker's and unread topics' are
        // accounted for per topic (inputs)
        long poison = sent.delivered().stream().filter(send -> send.kind() == Kind.POISON
                && meteringReads.contains(send.topic())).count();
        Set<Location> usagePoison = delivered.stream().filter(send -> send.kind() == Kind.POISON)
                .map(send -> sent.placed().get(send.eventId())).collect(Collectors.toSet());
        // records of an event id after its first: re-deliveries, or an original that arrived after its re-delivery
        long redeliveries = delivered.stream().filter(FaultVerifier::debits).count() - mustDebit.size();
        // a plan fee charged directly (issue 10 §3) is accounted for by its PLAN_FEE_DIRECT entry instead of a debit;
        // an event with both is doubled
        Map<String, Long> debited = ledger.stream().filter(entry -> entry.getKind() == LedgerEntryKind.USAGE
                        || entry.getKind() == LedgerEntryKind.PLAN_FEE_DIRECT)
                .collect(Collectors.groupingBy(LedgerEntry::getSourceId, Collectors.counting()));
        List<String> lost = mustDebit.stream().filter(id -> !debited.containsKey(id)).sorted().toList();
        List<String> doubled = debited.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .sorted().toList();
        List<String> unexpected = debited.keySet().stream().filter(id -> !mustDebit.contains(id)
                && !uncertain.contains(id)).sorted().toList();
        Set<String> parkedIds = parked.stream().map(UsageEvent::getEventId).collect(Collectors.toSet());
        List<String> notParked = mustPark.stream().filter(id -> !parkedIds.contains(id)).sorted().toList();
        long parkedTwice = parked.size() - parkedIds.size();
        List<String> withoutHeaders = deadLettered.stream().filter(record -> header(record,
                "__streams.errors.exception") == null || header(record, "__streams.errors.topic") == null)
                .map(record -> record.partition() + "@" + record.offset()).toList();
        // every instance parks a refused rate card when it reads it, and again when it rebuilds the store: one
        // record in is one source offset, however many dead letters name it
        Set<Location> sources = deadLettered.stream().map(FaultVerifier::source).collect(Collectors.toSet());
        long deadLetteredRecords = sources.size();
        long usageDeadLettered = sources.stream().filter(usagePoison::contains).count();

        report.figure("usage-events records in", delivered.size());
        report.figure("distinct events to debit", mustDebit.size());
        report.figure("re-deliveries (same event id, other offset)", redeliveries);
        report.figure("debited", debited.size());
        report.figure("parked (usage-unpriced)", parkedIds.size());
        report.figure("dead-lettered (metering-dlq, distinct records)", deadLetteredRecords);
        report.figure("poison records sent to topics metering reads", poison);
        report.figure("sends not acknowledged (uncertain)", uncertain.size());
        report.figure("lost", lost.size() + notParked.size());
        report.figure("doubled", doubled.size() + parkedTwice);
        report.check("every delivered event debited exactly once", lost.isEmpty() && doubled.isEmpty()
                && unexpected.isEmpty(), "not debited " + first(lost) + ", debited twice " + first(doubled)
                + ", debited but not debitable " + first(unexpected));
        report.check("every unpriceable event parked once on usage-unpriced", notParked.isEmpty() && parkedTwice == 0,
                "not parked " + first(notParked) + ", parked twice: " + parkedTwice);
        report.check("every poison record dead-lettered with error headers", deadLetteredRecords == poison
                && withoutHeaders.isEmpty(), "dead-lettered " + deadLetteredRecords + " of " + poison
                + " poison records; without error headers: " + first(withoutHeaders));
        long accounted = debited.size() + redeliveries + parkedIds.size() + usageDeadLettered;
        report.check("records in = accounted for, usage-events: " + delivered.size() + " sent = " + debited.size()
                + " debited + " + redeliveries + " duplicates dropped + " + parkedIds.size() + " parked + "
                + usageDeadLettered + " dead-lettered", uncertain.isEmpty() ? accounted == delivered.size()
                : accounted >= delivered.size(), accounted + " accounted for, " + delivered.size()
                + " acknowledged in, " + uncertain.size() + " uncertain");
    }

    private void balances(List<Send> delivered, Set<String> uncertain, List<Charge> charges, List<LedgerEntry> ledger,
                          Map<String, AccountBalance> balances, List<YearMonth> endedDuringRun,
                          FaultReport report) {
        Map<String, Long> expected = new HashMap<>();
        Set<String> counted = new HashSet<>();
        for (Send send : delivered) {
            if (debits(send) && counted.add(send.eventId())) {
                UsageEvent event = Topics.USAGE_EVENTS.valueSerde().deserializer()
                        .deserialize(Topics.USAGE_EVENTS.name(), send.value());
                // a sub-account's usage is debited from its agency (issue 10 §5); a plan fee charged directly is
                // -fee here and +fee in the charges below: its balance does not move (issue 10 §3)
                expected.merge(workload.payerOf(event.getAccountId()), -Workload.price(event), Long::sum);
            }
        }
        charges.stream().filter(Charge::succeeded).forEach(charge -> expected.merge(charge.accountId(),
                Money.centsToMicros(charge.amountCents()), Long::sum));
        FlowChecks.expectedTaxes(workload.taxMonth(), workload.taxedRates(), workload.taxMonthEvents(),
                Workload::price).forEach((account, tax) -> expected.merge(account, -tax, Long::sum));
        // a month that ended during the run: its taxes as posted, each held to its base by FlowChecks.taxes
        FlowChecks.taxedByTheRunsOf(endedDuringRun, ledger)
                .forEach(tax -> expected.merge(tax.getAccountId(), tax.getAmountMicros(), Long::sum));
        Map<String, Long> ledgerSums = ledger.stream().collect(Collectors.groupingBy(LedgerEntry::getAccountId,
                Collectors.summingLong(LedgerEntry::getAmountMicros)));
        List<String> wrong = new ArrayList<>();
        List<String> ledgerMismatch = new ArrayList<>();
        for (Account account : workload.accounts()) {
            long want = expected.getOrDefault(account.id(), 0L);
            AccountBalance balance = balances.get(account.id());
            long have = balance == null ? 0 : balance.getBalanceMicros();
            if (have != want) {
                wrong.add(account.id() + " balance " + have + " expected " + want);
            }
            if (ledgerSums.getOrDefault(account.id(), 0L) != have) {
                ledgerMismatch.add(account.id() + " ledger " + ledgerSums.getOrDefault(account.id(), 0L)
                        + " balance " + have);
            }
        }
        report.check("every balance = -(priced usage of the input) - its month's sales tax + the gateway's "
                + "successful charges",
                wrong.isEmpty(), first(wrong) + (uncertain.isEmpty() ? "" : " (" + uncertain.size()
                        + " sends were not acknowledged: an unacknowledged event that did arrive moves a balance)"));
        report.check("every balance = the sum of its ledger entries (ledger replay)", ledgerMismatch.isEmpty(),
                first(ledgerMismatch));
    }

    /** The daily rollups (a store restored from its changelog after every crash) count each event once. */
    private void rollups(List<Send> delivered, FaultReport report) {
        Map<String, List<Long>> expected = new HashMap<>();
        Set<String> counted = new HashSet<>();
        for (Send send : delivered) {
            if (debits(send) && counted.add(send.eventId())) {
                UsageEvent event = Topics.USAGE_EVENTS.valueSerde().deserializer()
                        .deserialize(Topics.USAGE_EVENTS.name(), send.value());
                String key = Topics.rollupKey(event.getAccountId(), LocalDate.ofInstant(event.getOccurredAt(),
                        ZoneOffset.UTC), event.getSku());
                expected.merge(key, List.of(event.getQuantity(), Workload.price(event), 1L), FaultVerifier::plus);
            }
        }
        Map<String, List<Long>> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicReader.readCommitted(bootstrap,
                Topics.USAGE_ROLLUPS.name())) {
            UsageRollup rollup = Topics.USAGE_ROLLUPS.valueSerde().deserializer()
                    .deserialize(Topics.USAGE_ROLLUPS.name(), record.value());
            latest.put(new String(record.key(), StandardCharsets.UTF_8),
                    List.of(rollup.getQuantity(), rollup.getAmountMicros(), rollup.getEventCount()));
        }
        List<String> wrong = expected.entrySet().stream()
                .filter(entry -> !entry.getValue().equals(latest.get(entry.getKey())))
                .map(entry -> entry.getKey() + " " + latest.get(entry.getKey()) + " expected " + entry.getValue())
                .sorted().toList();
        List<String> unexpected = latest.keySet().stream().filter(key -> !expected.containsKey(key)).sorted()
                .toList();
        report.check("every daily rollup (quantity, amount, events) = the input's, each event once",
                wrong.isEmpty() && unexpected.isEmpty(), first(wrong) + ", not in the input " + first(unexpected));
    }

    private static List<Long> plus(List<Long> a, List<Long> b) {
        return List.of(a.get(0) + b.get(0), a.get(1) + b.get(1), a.get(2) + b.get(2));
    }

    private void recharges(List<RechargeRequest> requests, List<PaymentResult> results, List<Receipt> receipts,
                           List<Charge> charges, Map<String, Long> forged, FaultReport report) {
        Map<String, List<RechargeRequest>> requestsById = requests.stream()
                .collect(Collectors.groupingBy(RechargeRequest::getRequestId));
        Map<String, List<PaymentResult>> resultsById = results.stream()
                .collect(Collectors.groupingBy(PaymentResult::getRequestId));
        Map<String, List<Charge>> successfulById = charges.stream().filter(Charge::succeeded)
                .collect(Collectors.groupingBy(Charge::requestId));
        Map<String, Long> receiptsById = receipts.stream()
                .collect(Collectors.groupingBy(Receipt::getRequestId, Collectors.counting()));

        List<String> unanswered = new ArrayList<>();
        List<String> answeredTwice = new ArrayList<>();
        List<String> chargedTwice = new ArrayList<>();
        List<String> receiptMismatch = new ArrayList<>();
        long duplicateCharges = 0;
        for (String requestId : requestsById.keySet()) {
            List<PaymentResult> answers = resultsById.getOrDefault(requestId, List.of());
            int expectedAnswers = forged.containsKey(requestId) ? 2 : 1;
            if (answers.isEmpty()) {
                unanswered.add(requestId);
            } else if (answers.size() > expectedAnswers) {
                answeredTwice.add(requestId + " x" + answers.size());
            }
            List<Charge> charged = successfulById.getOrDefault(requestId, List.of());
            if (charged.size() > 1) {
                chargedTwice.add(requestId + " x" + charged.size());
                duplicateCharges += charged.size() - 1;
            }
            long succeededAnswers = answers.stream().filter(r -> r.getStatus() == PaymentStatus.SUCCEEDED).count();
            if (receiptsById.getOrDefault(requestId, 0L) != Math.min(1, charged.size())
                    || succeededAnswers != Math.min(1, charged.size())) {
                receiptMismatch.add(requestId + ": charges " + charged.size() + ", SUCCEEDED results "
                        + succeededAnswers + ", receipts " + receiptsById.getOrDefault(requestId, 0L));
            }
        }
        List<String> chargedWithoutRequest = successfulById.keySet().stream()
                .filter(id -> !requestsById.containsKey(id)).toList();
        List<String> forgedCharged = new ArrayList<>();
        List<String> forgedNotRefused = new ArrayList<>();
        forged.forEach((requestId, amount) -> {
            if (charges.stream().anyMatch(c -> requestId.equals(c.requestId()) && c.amountCents() == amount)) {
                forgedCharged.add(requestId);
            }
            if (resultsById.getOrDefault(requestId, List.of()).stream().noneMatch(r -> r.getAmountCents() == amount
                    && r.getStatus() == PaymentStatus.FAILED)) {
                forgedNotRefused.add(requestId);
            }
        });

        long successful = charges.stream().filter(Charge::succeeded).count();
        report.figure("recharge requests", requestsById.size());
        report.figure("payment results", results.size());
        report.figure("gateway charge attempts", charges.size());
        report.figure("gateway charges succeeded", successful);
        report.figure("duplicate charges", duplicateCharges);
        report.figure("receipts", receipts.size());
        report.check("every recharge request answered by exactly one payment result",
                unanswered.isEmpty() && answeredTwice.isEmpty(), "unanswered " + first(unanswered)
                        + ", answered more than once " + first(answeredTwice));
        report.check("no request charged twice at the gateway", chargedTwice.isEmpty(), first(chargedTwice));
        report.check("each successful charge has one SUCCEEDED result and one receipt, and nothing else does",
                receiptMismatch.isEmpty() && receipts.size() == successful, first(receiptMismatch) + "; receipts "
                        + receipts.size() + ", successful charges " + successful);
        report.check("no charge without a recharge request", chargedWithoutRequest.isEmpty(),
                first(chargedWithoutRequest));
        if (!forged.isEmpty()) {
            report.check("a request id reused with another amount is refused before the gateway",
                    forgedCharged.isEmpty() && forgedNotRefused.isEmpty(), "charged: " + forgedCharged
                            + ", no FAILED result for it: " + forgedNotRefused);
        }
    }

    /**
     * Issue 15: a worker killed just after a commit must not publish a receipt or a notice again; the ids are
     * deterministic, so a repeat shows as an id seen twice (the metering topology's notices are held to it too).
     */
    private void publishedOnce(List<Receipt> receipts, List<BillingNotification> notifications,
                               FaultReport report) {
        List<String> receiptsTwice = twice(receipts.stream().map(Receipt::getReceiptId).toList());
        List<String> noticesTwice = twice(notifications.stream().map(BillingNotification::getNotificationId).toList());
        report.figure("receipts or notices published more than once", receiptsTwice.size() + noticesTwice.size());
        report.check("every receipt id and every notification id once on receipts and billing-notifications",
                receiptsTwice.isEmpty() && noticesTwice.isEmpty(), "receipts " + first(receiptsTwice) + ", notices "
                        + first(noticesTwice));
    }

    private static List<String> twice(List<String> ids) {
        return ids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting())).entrySet()
                .stream().filter(e -> e.getValue() > 1).map(e -> e.getKey() + " x" + e.getValue()).sorted().toList();
    }

    private void cards(List<Charge> charges, FaultReport report) {
        Map<String, List<Charge>> byCard = charges.stream().collect(Collectors.groupingBy(Charge::paymentMethod));
        List<String> hardRetried = new ArrayList<>();
        List<String> softOverLimit = new ArrayList<>();
        List<String> backupTouched = new ArrayList<>();
        long softDeclines = 0;
        long passedOver = 0;
        for (Account account : workload.accounts()) {
            List<Charge> onPrimary = byCard.getOrDefault(account.primary(), List.of());
            List<Charge> onBackup = byCard.getOrDefault(account.backup(), List.of());
            if (account.payer() == Payer.HARD_PRIMARY || account.cardsDecline()) {
                if (onPrimary.size() > 1) {
                    hardRetried.add(account.primary() + " x" + onPrimary.size());
                }
            }
            // a one-time payment that chooses a stolen card is declined once; later ones skip the card
            int onStolen = byCard.getOrDefault(account.stolenCard(), List.of()).size();
            if (account.payer() == Payer.PAYS_BY_CARD && onStolen > 1) {
                hardRetried.add(account.stolenCard() + " x" + onStolen);
            }
            if (account.payer() == Payer.SOFT_PRIMARY) {
                softDeclines += onPrimary.size();
                if (onPrimary.size() > maxSoftDeclinesPerDay) {
                    softOverLimit.add(account.primary() + " x" + onPrimary.size());
                }
                // the limit was reached and then kept: a later recharge went to the backup without a call
                if (onPrimary.size() == maxSoftDeclinesPerDay && onBackup.stream().filter(Charge::succeeded)
                        .count() > maxSoftDeclinesPerDay) {
                    passedOver++;
                }
            }
            if (account.payer() == Payer.PLAN_FEE_DECLINED && onPrimary.size() > maxSoftDeclinesPerDay) {
                softOverLimit.add(account.primary() + " x" + onPrimary.size());
            }
            if ((account.cardsDecline() || account.payer() == Payer.PLAN_FEE_DECLINED)
                    && onBackup.size() > maxSoftDeclinesPerDay) {
                softOverLimit.add(account.backup() + " x" + onBackup.size());
            }
            if ((account.payer() == Payer.GOOD || account.payer() == Payer.SLOW_PRIMARY
                    || account.payer() == Payer.FIXED || account.payer() == Payer.PAYS_BY_BANK
                    || account.payer() == Payer.PLAN_FEE_CARD) && !onBackup.isEmpty()) {
                backupTouched.add(account.backup() + " x" + onBackup.size());
            }
        }
        report.figure("soft declines at the gateway", softDeclines);
        report.figure("cards passed over at their soft-decline limit", passedOver);
        report.check("a hard-declined card is never charged again under the same last 4", hardRetried.isEmpty(),
                first(hardRetried));
        report.check("soft declines per card within " + maxSoftDeclinesPerDay + " a day", softOverLimit.isEmpty(),
                first(softOverLimit));
        report.check("the backup card is untouched while the primary works (also when it timed out)",
                backupTouched.isEmpty(), first(backupTouched));
    }

    private void pauses(List<AccountStatusChanged> statuses, List<BillingNotification> notifications,
                        List<PaymentResult> results, Map<String, AccountBalance> balances, FaultReport report) {
        Map<String, List<AccountStatus>> changes = new LinkedHashMap<>();
        statuses.forEach(change -> changes.computeIfAbsent(change.getAccountId(), id -> new ArrayList<>())
                .add(change.getStatus()));
        List<String> wrong = new ArrayList<>();
        long paused = 0;
        long resumed = 0;
        for (Account account : workload.accounts()) {
            if (account.payer() == Payer.SUB_ACCOUNT) {
                continue; // its status follows its agency's (FlowChecks.cascade); its balance never moves
            }
            List<AccountStatus> seen = changes.getOrDefault(account.id(), List.of());
            paused += seen.stream().filter(s -> s == AccountStatus.PAUSED).count();
            resumed += seen.stream().filter(s -> s == AccountStatus.ACTIVE).count();
            for (int i = 0; i < seen.size(); i++) {
                AccountStatus want = i % 2 == 0 ? AccountStatus.PAUSED : AccountStatus.ACTIVE;
                if (seen.get(i) != want) {
                    wrong.add(account.id() + " status changes " + seen + " do not alternate");
                    break;
                }
            }
            AccountBalance balance = balances.get(account.id());
            long micros = balance == null ? 0 : balance.getBalanceMicros();
            boolean endsPaused = !seen.isEmpty() && seen.get(seen.size() - 1) == AccountStatus.PAUSED;
            if (endsPaused != micros < 0) {
                wrong.add(account.id() + " ends " + (endsPaused ? "PAUSED" : "ACTIVE") + " with balance " + micros);
            }
            switch (account.payer()) {
                case BOTH_DECLINE, AGENCY -> {
                    long declined = results.stream().filter(r -> r.getAccountId().equals(account.id())
                            && r.getStatus() == PaymentStatus.DECLINED).count();
                    // a FAILED result (the gateway unreachable under a fault) has its own notice since issue 10
                    long declineNotices = notifications.stream().filter(n -> n.getAccountId().equals(account.id())
                            && n.getType() == NotificationType.PAYMENT_DECLINED
                            && !"FAILED".equals(n.getAttributes().get("status"))).count();
                    if (!seen.equals(List.of(AccountStatus.PAUSED, AccountStatus.ACTIVE)) || declined != 1
                            || declineNotices != 1) {
                        wrong.add(account.id() + " (both cards decline, then a new card): status " + seen
                                + ", DECLINED results " + declined + ", PAYMENT_DECLINED notices " + declineNotices
                                + "; want [PAUSED, ACTIVE], 1, 1");
                    }
                }
                case NO_AUTO, PLAN_FEE_DECLINED -> {
                    if (!seen.equals(List.of(AccountStatus.PAUSED))) {
                        wrong.add(account.id() + " (" + account.payer() + ", no auto-recharge): status " + seen
                                + "; want [PAUSED]");
                    }
                }
                default -> {
                    if (micros < Workload.THRESHOLD_MICROS) {
                        wrong.add(account.id() + " (" + account.payer() + ") ends at " + micros
                                + " micros, below its threshold " + Workload.THRESHOLD_MICROS);
                    }
                }
            }
        }
        report.figure("accounts paused (status changes)", paused);
        report.figure("accounts resumed (status changes)", resumed);
        report.check("pause and resume: alternate, match the balance; both cards declined -> one decline, one "
                + "pause, a new card -> one resume; every paying account ends at or above its threshold",
                wrong.isEmpty(), first(wrong));
    }

    private <V> List<V> read(Topic<String, V> topic) {
        return decodable(bootstrap, topic);
    }

    /**
     * The committed records of a topic that decode as its type. The suite writes poison to the topics it reads
     * back (payment-results, recharge-requests): those are dead-lettered by the app that reads the topic, and
     * accounted for there ({@link InputAccounting}), never taken for a result or a request.
     */
    static <V> List<V> decodable(String bootstrap, Topic<String, V> topic) {
        List<V> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicReader.readCommitted(bootstrap, topic.name())) {
            if (record.value() == null) {
                continue;
            }
            try {
                values.add(topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
            } catch (SerializationException e) {
                // poison: see above
            }
        }
        return values;
    }

    /** Issue 16: every record of the suite's on the other topics, where its kind says it must be. */
    private void inputs(Sent sent, Set<String> forged, Set<String> meteringReads, List<RechargeRequest> requests,
                        List<PaymentResult> results, FaultReport report) {
        InputAccounting.Evidence evidence = new InputAccounting.Evidence(deadLetteredSources(), meteringReads,
                decodable(bootstrap, Topics.PAYMENT_COMMANDS_REJECTED).stream().map(PaymentCommand::getCommandId)
                        .collect(Collectors.toSet()),
                requests.stream().map(RechargeRequest::getRequestId).collect(Collectors.toSet()),
                results.stream().collect(Collectors.groupingBy(PaymentResult::getRequestId)), storedSettings(),
                TopicReader.readCommitted(bootstrap, Topics.ACCOUNT_SETTINGS_REJECTED.name()).size());
        List<InputAccounting.TopicFigures> topics = InputAccounting.account(sent.delivered(), sent.placed(), forged,
                evidence);
        long poison = sent.delivered().stream().filter(send -> send.kind() == Kind.POISON).count();
        report.figure("poison records sent (every topic either app reads)", poison);
        report.figure("poison not read (on a topic no app reads yet)", topics.stream()
                .mapToLong(InputAccounting.TopicFigures::notRead).sum());
        report.figure("valid records refused (payment-commands-rejected, FAILED results)", topics.stream()
                .mapToLong(InputAccounting.TopicFigures::refused).sum());
        topics.forEach(topic -> report.check(topic.line(), topic.ok(), first(topic.misplaced())));
    }

    /** Every record the two dead letter queues hold, by its source, with the queue that holds it. */
    private Map<Location, String> deadLetteredSources() {
        Map<Location, String> sources = new HashMap<>();
        for (String queue : DeadLetters.QUEUES) {
            for (ConsumerRecord<byte[], byte[]> record : TopicReader.readCommitted(bootstrap, queue)) {
                Location source = source(record);
                if (source != null) {
                    sources.put(source, queue);
                }
            }
        }
        return sources;
    }

    /** The settings the metering app's store holds per account, read from its changelog. */
    private Map<String, AccountSettings> storedSettings() {
        String changelog = FaultSuite.APPLICATION_ID + "-" + StoreNames.ACCOUNT_SETTINGS + "-changelog";
        Map<String, AccountSettings> stored = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicReader.readCommitted(bootstrap, changelog)) {
            String account = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                stored.remove(account);
            } else {
                stored.put(account, Topics.ACCOUNT_SETTINGS.valueSerde().deserializer()
                        .deserialize(Topics.ACCOUNT_SETTINGS.name(), record.value()));
            }
        }
        return stored;
    }

    /** The topics the metering app reads, global stores included, from its topology: tax-rates once it does. */
    static Set<String> meteringReads() {
        TopologyDescription topology = MeteringTopology.build(new Properties()).describe();
        Set<String> topics = new HashSet<>();
        topology.globalStores().forEach(store -> topics.addAll(store.source().topicSet()));
        topology.subtopologies().forEach(subtopology -> subtopology.nodes().forEach(node -> {
            if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                topics.addAll(source.topicSet());
            }
        }));
        return topics;
    }

    /** Where a dead letter's record came from. */
    private static Location source(ConsumerRecord<byte[], byte[]> deadLetter) {
        return DeadLetter.of(new Location(deadLetter.topic(), deadLetter.partition(), deadLetter.offset()),
                deadLetter.key(), deadLetter.value(), deadLetter.headers()).source();
    }

    /** A usage event that must be debited once, whichever of its copies arrives first. */
    private static boolean debits(Send send) {
        return send.kind() == Kind.DEBIT || send.kind() == Kind.REDELIVERY;
    }

    private static Set<String> ids(List<Send> sends, Kind kind) {
        return sends.stream().filter(send -> send.kind() == kind).map(Send::eventId)
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String first(List<String> items) {
        if (items.isEmpty()) {
            return "none";
        }
        return items.size() <= SHOWN ? items.toString()
                : items.subList(0, SHOWN) + " and " + (items.size() - SHOWN) + " more";
    }
}
