package dev.meterflow.local.bench;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The arithmetic of {@code bench-state}'s figures, apart from the measuring: bytes per stored thing, restore
 * seconds scaled to a million accounts, and how long each moved partition went without output after a kill.
 */
final class StateFigures {

    private StateFigures() {
    }

    /** {@code bytes / count}, rounded to a tenth of a byte; empty when nothing was counted. */
    static OptionalDouble bytesPer(long bytes, long count) {
        if (bytes < 0 || count < 0) {
            throw new IllegalArgumentException("bytes and count must not be negative, were " + bytes + ", " + count);
        }
        return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(Math.round(bytes * 10.0 / count) / 10.0);
    }

    /**
     * Seconds a restore of {@code accounts} took, scaled linearly to a million accounts (at the same events per
     * account: what the changelogs held is what was restored).
     */
    static double secondsPerMillion(double seconds, long accounts) {
        if (accounts <= 0 || seconds < 0) {
            throw new IllegalArgumentException("accounts must be positive and seconds not negative, were " + accounts
                    + ", " + seconds);
        }
        return Math.round(seconds * 1_000_000.0 / accounts * 100) / 100.0;
    }

    /** Records a second, rounded; zero when the time was too short to tell. */
    static long perSecond(long records, double seconds) {
        return seconds <= 0 ? 0 : Math.round(records / seconds);
    }

    /**
     * For each partition the killed instance had, the seconds from the kill until its first output record of an
     * input sent after the kill; a partition without such a record is left out (the caller reports it missing).
     *
     * @param killedAtMillis   wall-clock time of the kill
     * @param firstOutputAfter partition → wall-clock millis its first such record became visible
     */
    static Map<Integer, Double> secondsUntilOutput(long killedAtMillis, Map<Integer, Long> firstOutputAfter) {
        Map<Integer, Double> seconds = new TreeMap<>();
        firstOutputAfter.forEach((partition, seenAt) -> {
            if (seenAt < killedAtMillis) {
                throw new IllegalArgumentException("partition " + partition + " output at " + seenAt
                        + ", before the kill at " + killedAtMillis);
            }
            seconds.put(partition, (seenAt - killedAtMillis) / 1000.0);
        });
        return seconds;
    }

    /** The longest of them: when the last moved task produced again. */
    static OptionalDouble slowest(Map<Integer, Double> secondsByPartition) {
        return secondsByPartition.values().stream().mapToDouble(Double::doubleValue).max();
    }
}
