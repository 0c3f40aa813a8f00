package dev.meterflow.local.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meterflow faults}: the fault, bad-input and security suite on real processes. */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = {"Runs the broker, two metering instances and the recharge worker as separate processes, "
                + "sends a workload whose outcome follows from the input alone, injects one fault per cycle "
                + "(SIGKILL, SIGSTOP past the session timeout, broker restart, crash during restore, worker killed "
                + "mid-charge) and checks what came out: nothing lost, nothing doubled, no duplicate charge, no "
                + "secret anywhere. Exit code 0 when every check holds, 1 when one fails, 3 when the suite could not "
                + "run (the processes' logs are in --data-dir)."})
public final class FaultsCommand implements Callable<Integer> {

    static final String FIGURES_START = "<!-- fault-suite figures: start -->";
    static final String FIGURES_END = "<!-- fault-suite figures: end -->";

    @Option(names = "--cycles", defaultValue = "100",
            description = "Fault cycles, one fault each, in turn (default ${DEFAULT-VALUE}).")
    int cycles;

    @Option(names = "--events-per-cycle", defaultValue = "2000",
            description = "New usage events per cycle (default ${DEFAULT-VALUE}).")
    int eventsPerCycle;

    @Option(names = "--accounts", defaultValue = "35",
            description = "Accounts, an equal share of each kind of payer; an agency's two or three sub-accounts "
                    + "come on top (default ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--rate", defaultValue = "400",
            description = "Usage records sent per second (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--partitions", defaultValue = "4",
            description = "Partitions per topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--faults", split = ",",
            description = "Faults to inject, in turn (default: all of ${COMPLETION-CANDIDATES}).")
    List<FaultSuite.Fault> faults = List.of(FaultSuite.Fault.values());

    @Option(names = "--seed", defaultValue = "20261126",
            description = "Seed of the workload (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--settle-timeout", defaultValue = "5m",
            description = "How long the pipeline may take to settle after the last cycle (default ${DEFAULT-VALUE}).")
    Duration settleTimeout;

    @Option(names = "--load", defaultValue = "0", paramLabel = "THREADS",
            description = "Busy threads beside the pipeline for the whole run, to run it on a loaded machine; they "
                    + "stop by themselves after 3 hours at the latest (default ${DEFAULT-VALUE}: none).")
    int loadThreads;

    @Option(names = "--broker-restarts", defaultValue = "1", paramLabel = "N",
            description = "Times in a row each RESTART_BROKER cycle kills and restarts the broker, the next kill "
                    + "while the metering instances restore (default ${DEFAULT-VALUE}).")
    int brokerRestarts;

    @Option(names = "--data-dir", defaultValue = "data/faults",
            description = "Broker data, state, configs and logs of the processes (wiped first; "
                    + "default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--write-figures", paramLabel = "FILE",
            description = "Replace the figures section of this Markdown file (e.g. docs/RELIABILITY.md) with this "
                    + "run's.")
    Path figuresFile;

    @Override
    public Integer call() throws Exception {
        FaultSuite.Options options = new FaultSuite.Options(cycles, eventsPerCycle, accounts, rate, partitions,
                dataDir, seed, faults, settleTimeout, loadThreads, brokerRestarts);
        FaultReport report;
        try {
            report = new FaultSuite(options, System.out).run();
        } catch (RuntimeException e) {
            System.err.println("the fault suite could not run: " + e.getMessage());
            e.printStackTrace(System.err);
            return 3;
        }
        report.print(System.out);
        if (figuresFile != null) {
            String settings = String.format("--cycles %d --events-per-cycle %d --accounts %d --rate %d --partitions %d"
                    + " --seed %d --load %d --broker-restarts %d", cycles, eventsPerCycle, accounts, rate, partitions,
                    seed, loadThreads, brokerRestarts);
            writeFigures(figuresFile, report.markdown(machine(), settings));
            System.out.println("figures written to " + figuresFile);
        }
        return report.ok() ? 0 : 1;
    }

    /** Puts {@code figures} between the markers of {@code file}, or appends the markers and figures. */
    static void writeFigures(Path file, String figures) throws IOException {
        String section = FIGURES_START + "\n" + figures + FIGURES_END;
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        int start = text.indexOf(FIGURES_START);
        int end = text.indexOf(FIGURES_END);
        if (start >= 0 && end > start) {
            text = text.substring(0, start) + section + text.substring(end + FIGURES_END.length());
        } else {
            text = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "\n" + section + "\n";
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String machine() {
        return String.format("%d cores, %d MiB max heap for the suite, Java %s, %s %s",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch"));
    }

}
