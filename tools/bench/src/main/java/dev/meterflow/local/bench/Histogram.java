package dev.meterflow.local.bench;

import java.util.Arrays;

/** Latencies in milliseconds, kept whole (a benchmark run records at most a few million). */
public final class Histogram {

    private long[] values = new long[1024];
    private int count;

    public synchronized void record(long millis) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = Math.max(0, millis);
    }

    public synchronized int count() {
        return count;
    }

    /** The value at this percentile (0-100), or -1 when nothing was recorded. */
    public synchronized long percentile(double percentile) {
        if (count == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, index))];
    }
}
