package dev.meterflow.metering.replay;

import dev.meterflow.metering.MeteringApp;
import dev.meterflow.metering.pricing.UnpricedReason;
import dev.meterflow.topics.Topics;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code metering-topology replay-unpriced}: runs {@link UnpricedReplay} and prints what it did. */
@Command(name = "replay-unpriced", mixinStandardHelpOptions = true,
        description = {"Re-publishes parked usage events (usage-unpriced) that can be priced now to usage-events.",
                "Safe to run again: the topology debits an eventId at most once."})
public final class ReplayUnpricedCommand implements Callable<Integer> {

    @ParentCommand
    MeteringApp parent;

    @Option(names = "--dry-run", description = "Report what would be re-published without publishing.")
    boolean dryRun;

    @Override
    public Integer call() {
        ReplayPlan plan = UnpricedReplay.run(parent.config().clientProperties(), dryRun);
        print(plan, dryRun, System.out);
        return 0;
    }

    /** What a replay did (or would do), and what stays parked by reason. */
    public static void print(ReplayPlan plan, boolean dryRun, PrintStream out) {
        int parked = plan.toReplay().size() + plan.stillUnpriced().values().stream().mapToInt(Integer::intValue).sum();
        out.printf("parked events read: %d%n", parked);
        out.printf("%s to %s: %d%n", dryRun ? "would re-publish" : "re-published", Topics.USAGE_EVENTS.name(),
                plan.toReplay().size());
        for (Map.Entry<UnpricedReason, Integer> still : plan.stillUnpriced().entrySet()) {
            out.printf("still parked reason=%s count=%d%s%n", still.getKey(), still.getValue(),
                    still.getKey().replayable() ? "" : " (fix the event at its source; a replay cannot price it)");
        }
    }
}
