package dev.meterflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CpuMeterTest {

    private static final String METERING = "bench-metering";

    @Test
    void shouldSplitTheCpuBetweenTwoMomentsByGroupPerEvent() {
        CpuMeter.Snapshot start = new CpuMeter.Snapshot(0, 1_000_000, Map.of(
                1L, new CpuMeter.ThreadTime("bench-metering-u-StreamThread-1", 500_000),
                2L, new CpuMeter.ThreadTime("data-plane-kafka-request-handler-0", 100_000)), Optional.empty());
        CpuMeter.Snapshot end = new CpuMeter.Snapshot(2_000_000_000L, 41_000_000, Map.of(
                1L, new CpuMeter.ThreadTime("bench-metering-u-StreamThread-1", 20_500_000),
                2L, new CpuMeter.ThreadTime("data-plane-kafka-request-handler-0", 10_100_000),
                // started in between: counted from zero
                3L, new CpuMeter.ThreadTime("bench-metering-u-StreamThread-2", 5_000_000)), Optional.empty());

        CpuMeter.Usage usage = CpuMeter.between(start, end, METERING);
        Map<String, Double> perEvent = usage.microsPerEvent(1_000, "stream threads");

        assertThat(perEvent).containsEntry("stream threads", 25.0)
                .containsEntry("broker: request handlers", 10.0)
                .containsEntry("harness and other Java threads", 0.0)
                .containsEntry(CpuMeter.OUTSIDE_JAVA_THREADS, 5.0)
                .containsEntry("whole JVM", 40.0);
        assertThat(usage.jvmCores()).isEqualTo(0.02);
    }

    @Test
    void shouldReadHowBusyTheMachineWasFromProcStatLeavingOutIdleAndIowaitAndTheGuestTimes() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        Optional<CpuMeter.MachineTicks> ticks =
                CpuMeter.machineTicks("cpu  300 0 100 500 100 0 0 0 70 0");

        assertThat(ticks).contains(new CpuMeter.MachineTicks(1_000, 400));
        assertThat(CpuMeter.machineTicks("intr 12 3 4")).isEmpty();
    }

    @Test
    void shouldGiveTheMachinesBusyShareBetweenTwoMoments() {
        CpuMeter.Snapshot start = new CpuMeter.Snapshot(0, 0, Map.of(),
                Optional.of(new CpuMeter.MachineTicks(1_000, 400)));
        CpuMeter.Snapshot end = new CpuMeter.Snapshot(1_000_000_000L, 0, Map.of(),
                Optional.of(new CpuMeter.MachineTicks(1_200, 550)));

        CpuMeter.Usage usage = CpuMeter.between(start, end, METERING);

        assertThat(usage.machineBusyShare()).contains(0.75);
        assertThat(usage.machineCores(2)).contains(1.5);
    }
}
