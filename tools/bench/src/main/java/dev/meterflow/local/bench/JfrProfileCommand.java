package dev.meterflow.local.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code meterflow bench-profile}: where a {@code bench} run's CPU went, from a Flight Recording of it. */
@Command(name = "bench-profile", mixinStandardHelpOptions = true,
        description = {"Reads a Flight Recording of a bench run (java -XX:StartFlightRecording=filename=bench.jfr,"
                + "settings=profile -jar meterflow.jar bench ...) and prints, for each measured phase the harness "
                + "marked in it (or each --window), the CPU time per usage event of each thread group (stream "
                + "threads, the broker's by kind, the harness, GC and JIT), the stream threads' samples by library "
                + "and by step, the broker's hottest methods, allocation per event and garbage collection, as "
                + "Markdown tables."})
public final class JfrProfileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--jfr", required = true, description = "The recording (one file; chunks may be concatenated).")
    Path recording;

    @Option(names = "--window", description = "NAME,START,END,EVENTS: a span to profile, START and END as ISO "
            + "instants (2026-11-30T07:59:11Z), EVENTS the usage events handled in it; repeatable. Without it, the "
            + "phases the harness marked in the recording that handled usage events.")
    List<String> windows = new ArrayList<>();

    @Option(names = "--app-marker", defaultValue = "bench-metering",
            description = "What the measured application's thread names contain (default ${DEFAULT-VALUE}).")
    String appMarker;

    @Override
    public Integer call() throws Exception {
        List<JfrProfile.Window> spans = new ArrayList<>();
        for (String window : windows) {
            spans.add(window(window));
        }
        if (spans.isEmpty()) {
            JfrProfile.phases(recording).stream().filter(phase -> phase.events() > 0).forEach(spans::add);
        }
        if (spans.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no --window given and no bench phases in " + recording
                    + " (recorded before the harness marked them?)");
        }
        new JfrProfile(appMarker, spans).read(recording).print(System.out);
        return 0;
    }

    private JfrProfile.Window window(String spec) {
        String[] parts = spec.split(",");
        if (parts.length != 4) {
            throw new ParameterException(this.spec.commandLine(), "--window takes NAME,START,END,EVENTS, was '"
                    + spec + "'");
        }
        try {
            return new JfrProfile.Window(parts[0], Instant.parse(parts[1]), Instant.parse(parts[2]),
                    Long.parseLong(parts[3]));
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ParameterException(this.spec.commandLine(), "--window '" + spec + "': " + e.getMessage());
        }
    }
}
