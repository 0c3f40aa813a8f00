package dev.meterflow.local.bench;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A phase of a {@code bench} run in a Flight Recording (started with {@code -XX:StartFlightRecording}), so a profile
 * can be cut to the metering run of one workload ({@code bench-profile} reads them). Without a recording it costs
 * nothing.
 */
@Name(BenchPhase.NAME)
@Label("Bench phase")
@Category("Meterflow")
@Description("A measured phase of the benchmark harness")
final class BenchPhase extends Event {

    static final String NAME = "dev.meterflow.bench.Phase";

    @Label("Workload")
    String workload;

    @Label("Phase")
    String phase;

    @Label("Usage events")
    long events;

    private BenchPhase(String workload, String phase) {
        this.workload = workload;
        this.phase = phase;
    }

    /** Begins a phase; {@link #end(long)} commits it. */
    static BenchPhase begin(String workload, String phase) {
        BenchPhase event = new BenchPhase(workload, phase);
        event.begin();
        return event;
    }

    /** Ends the phase, with the usage events it handled (0 where that means nothing). */
    void end(long handled) {
        this.events = handled;
        commit();
    }
}
