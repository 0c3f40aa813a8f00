package dev.meterflow.local.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Busy threads beside the pipeline, so the fault suite also runs on a loaded machine, as production machines
 * are (issue 17: a restore stuck after a broker restart was only seen with a second pipeline running beside the
 * suite). Bounded: the threads are daemons and stop by themselves at the deadline if nobody closes them first.
 */
public final class CpuLoad implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    private CpuLoad(int threadCount, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(() -> burn(deadline), "fault-suite-cpu-load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    /** Starts {@code threadCount} busy threads (none for 0) that stop at the latest after {@code atMost}. */
    public static CpuLoad start(int threadCount, Duration atMost) {
        CpuLoad load = new CpuLoad(threadCount, atMost);
        load.threads.forEach(Thread::start);
        return load;
    }

    public int threads() {
        return threads.size();
    }

    private void burn(long deadline) {
        long sink = 0;
        while (!stopped && System.nanoTime() < deadline) {
            // arithmetic the JIT cannot drop: the result feeds the loop condition
            for (int i = 0; i < 100_000; i++) {
                sink = sink * 6364136223846793005L + 1442695040888963407L;
            }
            if (sink == 42) {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        threads.forEach(thread -> {
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
