package dev.meterflow.local.stack;

import dev.meterflow.local.stack.LocalStack.Check;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local stack's checks of its read side, once the pipeline has settled: the read model caught up with the
 * pipeline's balances, and every receipt of this run was emailed. Each waits (bounded) for the read side to get
 * there, since it follows the pipeline.
 */
final class ReadSideChecks {

    private static final long WAIT_SECONDS = 60;

    private ReadSideChecks() {
    }

    static List<Check> awaitAndCheck(ReadSide readSide, OutputsMonitor monitor, Instant startedAt, PrintStream out)
            throws InterruptedException {
        try {
            return awaitAndCheckOrFail(readSide, monitor, startedAt, out);
        } catch (RuntimeException e) {
            // the read side itself failed (its database gone): a failed check, not a run without a summary
            return List.of(new Check("the read side answered its checks", false, e.toString()));
        }
    }

    private static List<Check> awaitAndCheckOrFail(ReadSide readSide, OutputsMonitor monitor, Instant startedAt,
                                                   PrintStream out) throws InterruptedException {
        out.println("settling: waiting for the read model and the notifier ...");
        Map<String, Long> balances = new HashMap<>();
        monitor.balances.forEach((account, balance) -> balances.put(account, balance.getBalanceMicros()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        List<String> differing = readSide.balancesDifferingFrom(balances);
        List<String> notEmailed = readSide.receiptsNotEmailed(startedAt);
        while ((!differing.isEmpty() || !notEmailed.isEmpty() || readSide.readModelLag() != 0)
                && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(500);
            differing = readSide.balancesDifferingFrom(balances);
            notEmailed = readSide.receiptsNotEmailed(startedAt);
        }
        return List.of(new Check("the read model caught up: every account's balance as the pipeline left it ("
                        + balances.size() + " accounts)", differing.isEmpty() && readSide.readModelLag() == 0,
                        "lag " + readSide.readModelLag() + ", balances differ: " + differing),
                new Check("every receipt emailed (" + readSide.receiptsSince(startedAt) + " receipts, "
                        + readSide.emailsReceived() + " emails received)", notEmailed.isEmpty(),
                        "not emailed: " + notEmailed));
    }
}
