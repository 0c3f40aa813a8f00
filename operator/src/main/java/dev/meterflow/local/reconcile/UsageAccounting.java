package dev.meterflow.local.reconcile;

import dev.meterflow.metering.payments.PlanFeeRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Usage in = debited + duplicates + parked + dead-lettered, per input partition and offset range: a pure
 * function of what was read. Each {@code usage-events} record has exactly one fate: dead-lettered (found in
 * {@code metering-dlq} by its partition and offset), or, by its account and eventId, debited (once per
 * event, on {@code ledger-entries}), parked (one {@code usage-unpriced} copy per parking) or a duplicate
 * (skipped because the event was debited; not written anywhere, so counted as what remains). A plan fee whose direct
 * charge has no result yet is being charged, not lost. An event with records that are neither, and no debit, was
 * lost. Records at or after the metering app's committed offset
 * are not processed yet and are left out.
 */
public final class UsageAccounting {

    private UsageAccounting() {
    }

    /** One {@code usage-events} record; {@code accountId} and {@code eventId} are {@code null} if undecodable. */
    public record InputRecord(int partition, long offset, String accountId, String eventId) {
    }

    /** An event of an account: the topology dedups by both. */
    public record EventKey(String accountId, String eventId) {
    }

    /** A record's place on {@code usage-events}. */
    public record Position(int partition, long offset) {
    }

    /**
     * What was read.
     *
     * @param inputs       every {@code usage-events} record, in offset order per partition
     * @param debited      events with a USAGE ledger entry
     * @param parked       {@code usage-unpriced} copies per event
     * @param deadLettered {@code usage-events} records found in {@code metering-dlq}
     * @param processedUpTo per partition, the metering app's committed offset; {@code null} when unknown, and then
     *                      every record is taken as processed (a settled pipeline)
     * @param openPlanFees  the plan fees being charged directly (issue 10 §3): the account of every PLAN_FEE_DIRECT
     *                      request without a result yet, by request id. Such a fee is neither debited nor charged
     *                      until its result comes, days later for a bank account
     */
    public record Input(List<InputRecord> inputs, Set<EventKey> debited, Map<EventKey, Integer> parked,
                        Set<Position> deadLettered, Map<Integer, Long> processedUpTo,
                        Map<String, String> openPlanFees) {
    }

    /** One partition's offset range [{@code from}, {@code to}) and where its records went. */
    public record PartitionFigures(int partition, long from, long to, long debited, long duplicates, long parked,
                                   long deadLettered, long lost, long notProcessedYet, long charging) {

        @Override
        public String toString() {
            return "usage-events-" + partition + " [" + from + ", " + to + "): " + debited + " debited, " + duplicates
                    + " duplicates, " + parked + " parked, " + deadLettered + " dead-lettered"
                    + (lost > 0 ? ", " + lost + " LOST" : "")
                    + (charging > 0 ? ", " + charging + " plan fees being charged" : "")
                    + (notProcessedYet > 0 ? " (+" + notProcessedYet + " not processed yet)" : "");
        }
    }

    /** The figures per partition and a difference per lost event or undecodable record not dead-lettered. */
    public record Result(List<PartitionFigures> partitions, List<Difference> differences) {
    }

    public static Result account(Input input) {
        Map<Integer, List<InputRecord>> byPartition = new TreeMap<>();
        input.inputs().forEach(record -> byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>())
                .add(record));
        List<PartitionFigures> figures = new ArrayList<>();
        List<Difference> differences = new ArrayList<>();
        byPartition.forEach((partition, records) -> figures.add(partition(partition, records, input, differences)));
        return new Result(figures, differences);
    }

    private static PartitionFigures partition(int partition, List<InputRecord> records, Input input,
                                              List<Difference> differences) {
        long processedUpTo = input.processedUpTo() == null ? Long.MAX_VALUE
                : input.processedUpTo().getOrDefault(partition, 0L);
        long deadLettered = 0;
        long notProcessed = 0;
        Map<EventKey, Integer> recordsPerEvent = new LinkedHashMap<>();
        for (InputRecord record : records) {
            if (record.offset() >= processedUpTo) {
                notProcessed++;
            } else if (input.deadLettered().contains(new Position(partition, record.offset()))) {
                deadLettered++;
            } else if (record.eventId() == null) {
                differences.add(new Difference(Check.USAGE, null, null, "usage-events-" + partition + "@"
                        + record.offset() + " could not be decoded and is not in metering-dlq"));
            } else {
                recordsPerEvent.merge(new EventKey(record.accountId(), record.eventId()), 1, Integer::sum);
            }
        }
        long debited = 0;
        long duplicates = 0;
        long parked = 0;
        long lost = 0;
        long charging = 0;
        for (Map.Entry<EventKey, Integer> event : recordsPerEvent.entrySet()) {
            int count = event.getValue();
            int parkedCopies = Math.min(count, input.parked().getOrDefault(event.getKey(), 0));
            int debits = input.debited().contains(event.getKey()) && parkedCopies < count ? 1 : 0;
            int remaining = count - parkedCopies - debits;
            parked += parkedCopies;
            debited += debits;
            if (debits == 1) {
                duplicates += remaining;
            } else if (remaining > 0 && beingCharged(event.getKey(), input.openPlanFees())) {
                // its first record asked for the charge, the others are duplicates of it
                charging++;
                duplicates += remaining - 1;
            } else if (remaining > 0) {
                lost += remaining;
                differences.add(new Difference(Check.USAGE, event.getKey().accountId(), null, "eventId '"
                        + event.getKey().eventId() + "' on usage-events-" + partition + ": " + count
                        + " records, " + parkedCopies + " parked, none debited or dead-lettered"));
            }
        }
        return new PartitionFigures(partition, records.get(0).offset(), records.get(records.size() - 1).offset() + 1,
                debited, duplicates, parked, deadLettered, lost, notProcessed, charging);
    }

    /**
     * Whether the event is a plan fee whose direct charge has no result yet. Its request id derives from the paying
     * account and the event: the account itself, or the agency of a sub-account, one of the accounts with an open
     * plan fee.
     */
    private static boolean beingCharged(EventKey event, Map<String, String> openPlanFees) {
        if (openPlanFees.isEmpty()) {
            return false;
        }
        return openPlanFees.containsKey(PlanFeeRules.requestIdOf(event.accountId(), event.eventId()))
                || openPlanFees.values().stream().distinct().anyMatch(payer -> openPlanFees.containsKey(
                        PlanFeeRules.requestIdOf(payer, event.eventId())));
    }
}
