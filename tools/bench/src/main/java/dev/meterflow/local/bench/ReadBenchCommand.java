package dev.meterflow.local.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meterflow bench-read}: the read side's figures, apart from {@code bench} and its broker. */
@Command(name = "bench-read", mixinStandardHelpOptions = true,
        description = {"Measures the billing API's read side on this machine: loads the history of many accounts "
                + "into an embedded PostgreSQL through the read model's own projection and writer, measures the API's "
                + "latency (summary, payment history, a one-month statement as JSON and PDF) over HTTP, then the read "
                + "model's lag while an embedded broker carries the metering topology's outputs at a usage rate. "
                + "Prints a table and writes JSON."})
public final class ReadBenchCommand implements Callable<Integer> {

    @Option(names = "--accounts", defaultValue = "100000", description = "Accounts loaded (default ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--days", defaultValue = "30",
            description = "Days of history per account, up to yesterday (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--events-per-second", defaultValue = "13767", description = "Usage events a second whose "
            + "outputs the lag run writes: the latency rate of the recorded bench run (default ${DEFAULT-VALUE}).")
    int eventsPerSecond;

    @Option(names = "--lag-duration", defaultValue = "60s", description = "How long the lag run writes (default ${DEFAULT-VALUE}).")
    Duration lagDuration;

    @Option(names = "--api-accounts", defaultValue = "100",
            description = "Accounts whose admins sign in for the latency run (default ${DEFAULT-VALUE}).")
    int apiAccounts;

    @Option(names = "--api-requests", defaultValue = "500",
            description = "Requests per endpoint, after 20 of warm-up (default ${DEFAULT-VALUE}).")
    int apiRequests;

    @Option(names = "--pdf-requests", defaultValue = "100",
            description = "Statement PDFs requested (default ${DEFAULT-VALUE}).")
    int pdfRequests;

    @Option(names = "--load-threads", defaultValue = "2",
            description = "Threads writing the history (default ${DEFAULT-VALUE}).")
    int loadThreads;

    @Option(names = "--json", defaultValue = "data/bench/read-results.json",
            description = "Where the figures go (default ${DEFAULT-VALUE}).")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (accounts < 1 || days < 3 || apiAccounts < 1 || apiAccounts > accounts || loadThreads < 1) {
            throw new IllegalArgumentException("--accounts and --api-accounts at least 1 (not more api accounts than"
                    + " accounts), --days at least 3, --load-threads at least 1");
        }
        new ReadBench(new ReadBench.Options(accounts, days, partitions, eventsPerSecond, lagDuration, apiAccounts,
                apiRequests, pdfRequests, loadThreads, json.toAbsolutePath()), System.out).run();
        return 0;
    }
}
