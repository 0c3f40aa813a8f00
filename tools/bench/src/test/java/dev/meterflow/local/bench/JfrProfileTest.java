package dev.meterflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: bench-profile finds the harness's phases in a recording and charges their CPU to the right threads. */
class JfrProfileTest {

    @TempDir
    Path dir;

    @Test
    void shouldChargeAMarkedPhasesCpuAndSamplesToTheStreamThreads() throws Exception {
        Path file = dir.resolve("bench.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.enable("jdk.ThreadCPULoad").withPeriod(Duration.ofMillis(100));
            recording.enable("jdk.CPULoad").withPeriod(Duration.ofMillis(100));
            recording.enable("jdk.CPUInformation");
            recording.enable("jdk.ThreadStart");
            recording.enable(BenchPhase.NAME);
            recording.start();
            BenchPhase phase = BenchPhase.begin("uniform", "metering: catching up");
            Thread busy = new Thread(JfrProfileTest::spin, "bench-metering-test-StreamThread-1");
            busy.start();
            busy.join();
            phase.end(1_000);
            recording.stop();
            recording.dump(file);
        }

        List<JfrProfile.Window> phases = JfrProfile.phases(file);
        assertThat(phases).extracting(JfrProfile.Window::name, JfrProfile.Window::events)
                .containsExactly(Tuple.tuple("uniform: metering: catching up", 1_000L));
        JfrProfile profile = new JfrProfile("bench-metering", phases).read(file);
        JfrProfile.Figures figures = profile.figures(phases.get(0));

        assertThat(figures.cpuSecondsByGroup.get(JfrProfile.APP)).as("0.6 s of CPU, less what followed its last load")
                .isGreaterThan(0.3);
        assertThat(figures.appSamples).isPositive();
        assertThat(figures.appStep).containsKey(FrameCategory.OTHER);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        profile.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("## uniform: metering: catching up", "| stream threads |", "| **whole JVM** |");
    }

    /** 0.6 s of this thread's CPU time (not of the wall clock: the machine may be shared), in Java code. */
    private static void spin() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + Duration.ofMillis(600).toNanos();
        long sum = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
            for (int i = 0; i < 10_000; i++) {
                sum += Long.numberOfTrailingZeros(sum + i);
            }
        }
        if (sum == 42) {
            System.out.println(sum);
        }
    }
}
