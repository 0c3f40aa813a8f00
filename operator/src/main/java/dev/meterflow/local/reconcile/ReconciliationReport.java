package dev.meterflow.local.reconcile;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the reconciliation compared and every difference it found.
 *
 * @param differences    every difference, by check, then account, then request
 * @param open           requests younger than the grace period that are not finished yet (not differences)
 * @param counts         how much was compared
 * @param gatewayChecked whether the gateway's charges were compared ({@link Check#CHARGES}); false without a gateway
 * @param since          requests before this were left out of the request checks, or {@code null}
 * @param grace          how young an unfinished request may be and count as open
 * @param usage          per usage-events partition, where its records went; {@code null} when not checked
 */
public record ReconciliationReport(List<Difference> differences, List<OpenItem> open, Counts counts,
                                   boolean gatewayChecked, Instant since, Duration grace,
                                   List<UsageAccounting.PartitionFigures> usage) {

    public ReconciliationReport {
        differences = List.copyOf(differences);
        open = List.copyOf(open);
        usage = usage == null ? null : List.copyOf(usage);
    }

    /**
     * How much was compared.
     *
     * @param accounts         accounts with ledger entries or a balance
     * @param ledgerEntries    ledger entries (all of them: the ledger is always replayed whole)
     * @param requests         recharge requests compared (at or after {@code since})
     * @param results          payment results compared
     * @param succeeded        of which SUCCEEDED
     * @param credits          RECHARGE ledger entries compared
     * @param receipts         receipts compared
     * @param receiptNotices   RECHARGE_RECEIPT notifications compared
     * @param charges          successful gateway charges with a requestId compared (0 without a gateway)
     * @param foreignCharges   successful gateway charges without a requestId (not Meterflow's), left out
     * @param undecodableDeadLettered undecodable records of the compared topics that a dead letter queue holds,
     *                                accounted for and left out of the comparison
     */
    public record Counts(long accounts, long ledgerEntries, long requests, long results, long succeeded,
                         long credits, long receipts, long receiptNotices, long charges, long foreignCharges,
                         long undecodableDeadLettered) {
    }

    public boolean ok() {
        return differences.isEmpty();
    }

    /** The differences one check found. */
    public List<Difference> differences(Check check) {
        return differences.stream().filter(difference -> difference.check() == check).toList();
    }

    public void print(PrintStream out) {
        out.printf("reconcile: %s%s%n", since == null ? "all requests" : "requests since " + since,
                ", unfinished requests younger than " + grace + " are open");
        line(out, Check.LEDGER, counts.accounts() + " accounts, " + counts.ledgerEntries() + " ledger entries");
        line(out, Check.RESULTS, counts.requests() + " requests, " + counts.results() + " results ("
                + counts.succeeded() + " succeeded), " + counts.credits() + " credits");
        line(out, Check.RECEIPTS, counts.succeeded() + " succeeded, " + counts.receipts() + " receipts, "
                + counts.receiptNotices() + " receipt notices");
        if (usage != null) {
            line(out, Check.USAGE, usage.size() + " usage-events partitions");
            usage.forEach(partition -> out.println("    " + partition));
        }
        if (gatewayChecked) {
            line(out, Check.CHARGES, counts.charges() + " successful charges"
                    + (counts.foreignCharges() > 0 ? " (+" + counts.foreignCharges() + " without a requestId, left out)"
                    : ""));
        } else {
            out.printf("  [skipped] %s: no gateway given (--gateway-base-url)%n", Check.CHARGES.title());
        }
        if (counts.undecodableDeadLettered() > 0) {
            out.printf("  undecodable records on the compared topics: %d, each in a dead letter queue (not compared)%n",
                    counts.undecodableDeadLettered());
        }
        differences.forEach(difference -> out.println("DIFF " + difference));
        open.forEach(item -> out.println("OPEN " + item));
        out.println(ok() ? "no differences" + (open.isEmpty() ? "" : " (" + open.size() + " open)")
                : differences.size() + " DIFFERENCES");
    }

    private void line(PrintStream out, Check check, String compared) {
        int found = differences(check).size();
        out.printf("  [%s] %s: %s; %s%n", found == 0 ? "ok" : "DIFF", check.title(), compared,
                found == 0 ? "no differences" : found + " differences");
    }
}
