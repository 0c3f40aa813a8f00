package dev.meterflow.local.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meterflow bench-state}: the metering state's size, restore and fail-over figures, apart from {@code bench}. */
@Command(name = "bench-state", mixinStandardHelpOptions = true,
        description = {"Measures the metering topology's state on this machine against an embedded broker: loads "
                + "accounts and usage through the real topology and reports its RocksDB stores' bytes per account and "
                + "per retained event id (after a clean close, and after a full compaction); wipes the state and "
                + "times its restore from the changelogs; then runs two metering instances as processes of their "
                + "own under a steady load, kills one with SIGKILL and times until its partitions produce again on "
                + "the other, with one standby replica and without. Prints a table and writes JSON."})
public final class StateBenchCommand implements Callable<Integer> {

    @Option(names = "--accounts", defaultValue = "1000000", description = "Accounts loaded (default ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--events", defaultValue = "2000000",
            description = "Usage events loaded over them (default ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--stream-threads", defaultValue = "2",
            description = "Stream threads of the loading and restoring instance (default ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--failover-rate", defaultValue = "200",
            description = "Usage events a second during the fail-over runs (default ${DEFAULT-VALUE}).")
    int failoverRate;

    @Option(names = "--session-timeout", defaultValue = "45s", description = "The instances' session.timeout.ms "
            + "in the fail-over runs; the shipped configuration's (default ${DEFAULT-VALUE}).")
    Duration sessionTimeout;

    @Option(names = "--data-dir", defaultValue = "data/bench-state",
            description = "Broker and state (emptied first; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--json", defaultValue = "data/bench-state/results.json",
            description = "Where the figures go (default ${DEFAULT-VALUE}).")
    Path json;

    @Override
    public Integer call() throws Exception {
        new StateBench(new StateBench.Options(accounts, events, partitions, streamThreads, failoverRate,
                sessionTimeout, dataDir.toAbsolutePath(), json.toAbsolutePath()), System.out).run();
        return 0;
    }
}
