package dev.meterflow.metering.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides, from what an instance looks like now and what it looked like before, whether it is stuck: restoring,
 * out of RUNNING, or behind on its input, without having moved for longer than the limit. Pure: the watchdog
 * passes in the time with each observation.
 *
 * <p>Progress is movement, not speed: a restore that applies any batch, or a task that commits any input, resets
 * the clock, so a long restore of a large store is never mistaken for a stuck one (issue 17).
 */
public final class StallDetector {

    private StallDetector() {
    }

    /** One store restoring one changelog partition: the next offset to apply and the offset it must reach. */
    public record Restore(String task, String store, String changelog, long position, long endOffset) {
    }

    /** One input partition of a running task: its committed offset and the end the consumer last saw. */
    public record Input(String task, String partition, long committed, long endOffset) {

        long lag() {
            return Math.max(0, endOffset - committed);
        }
    }

    /** The instance at one moment. {@code state} is Kafka Streams' state name. */
    public record Observation(Instant at, String state, List<Restore> restores, List<Input> inputs) {

        public Observation {
            restores = List.copyOf(restores);
            inputs = List.copyOf(inputs);
        }

        /** Nothing to wait for: running, nothing restoring, no input behind. */
        boolean settled() {
            return "RUNNING".equals(state) && restores.isEmpty() && inputs.stream().allMatch(input -> input.lag() == 0);
        }
    }

    /** When the instance last moved (or was settled), and what it looked like at the last observation. */
    public record Progress(Instant lastMovedAt, Observation last) {
    }

    /** The progress after {@code now}: the clock restarts when the instance is settled or has moved since. */
    public static Progress track(Progress previous, Observation now) {
        if (previous == null || now.settled() || moved(previous.last(), now)) {
            return new Progress(now.at(), now);
        }
        return new Progress(previous.lastMovedAt(), now);
    }

    /** A description of the stall if the instance has been unsettled without moving for at least {@code limit}. */
    public static Optional<String> stall(Progress progress, Duration limit) {
        Observation now = progress.last();
        Duration still = Duration.between(progress.lastMovedAt(), now.at());
        if (now.settled() || still.compareTo(limit) < 0) {
            return Optional.empty();
        }
        return Optional.of(describe(now, still));
    }

    private static boolean moved(Observation before, Observation now) {
        return !before.state().equals(now.state())
                || !positions(before.restores(), Restore::changelog, Restore::position)
                        .equals(positions(now.restores(), Restore::changelog, Restore::position))
                || !positions(before.inputs(), Input::partition, Input::committed)
                        .equals(positions(now.inputs(), Input::partition, Input::committed));
    }

    private static <T> Map<String, Long> positions(List<T> items, Function<T, String> key, Function<T, Long> value) {
        return items.stream().collect(Collectors.toMap(key, value, Math::max));
    }

    private static String describe(Observation now, Duration still) {
        List<String> parts = new ArrayList<>();
        parts.add("state=" + now.state() + " noProgressFor=" + still);
        now.restores().forEach(restore -> parts.add(String.format(
                "restoring task=%s store='%s' changelog=%s position=%d endOffset=%d",
                restore.task(), restore.store(), restore.changelog(), restore.position(), restore.endOffset())));
        now.inputs().stream().filter(input -> input.lag() > 0).forEach(input -> parts.add(String.format(
                "lagging task=%s input=%s committed=%d endOffset=%d",
                input.task(), input.partition(), input.committed(), input.endOffset())));
        return String.join("; ", parts);
    }
}
