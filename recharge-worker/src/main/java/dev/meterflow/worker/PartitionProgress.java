package dev.meterflow.worker;

import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The requests of one partition: which are open, which finished, and what to commit. Kafka keeps one committed
 * offset per partition, and it may only move past finished requests; a request whose card has an unknown outcome
 * can stay open for minutes while the ones behind it finish. Those are named in the committed offset's metadata,
 * written in the same transaction as their outputs, so whoever reads the partition again from the committed
 * offset skips them instead of publishing their outputs a second time (issue 15).
 */
final class PartitionProgress {

    private final long epoch;
    private final FinishedBeyond inherited;
    private final TreeSet<Long> open = new TreeSet<>();
    private long highestSeen = -1;
    private long highestFinished = -1;
    private Commit lastCommitted;

    /** @param inherited what the last commit on the partition says finished behind its committed offset */
    PartitionProgress(long epoch, FinishedBeyond inherited) {
        this.epoch = epoch;
        this.inherited = inherited;
        this.lastCommitted = inherited.isEmpty() ? null : new Commit(inherited.committedOffset(), inherited.encode());
    }

    long epoch() {
        return epoch;
    }

    /** Whether the request at this offset finished before: its outputs are committed, it must publish nothing. */
    boolean finishedBefore(long offset) {
        return inherited.finished(offset);
    }

    void open(long offset) {
        open.add(offset);
        highestSeen = Math.max(highestSeen, offset);
    }

    void close(long offset) {
        open.remove(offset);
        highestFinished = Math.max(highestFinished, offset);
    }

    long openCount() {
        return open.size();
    }

    /**
     * The offset and metadata to commit after everything finished so far, if they changed since the last commit.
     *
     * @param position the consumer's position on the partition (every record before it was handed out and opened),
     *                 or -1 if unknown
     */
    Optional<Commit> committable(long position) {
        if (highestSeen < 0 && inherited.isEmpty()) {
            return Optional.empty();
        }
        long finishedThrough = Math.max(highestFinished, inherited.finishedThrough());
        TreeSet<Long> unfinished = new TreeSet<>(open);
        // what the previous owner left unfinished and this one has not been handed yet
        inherited.unfinished().tailSet(highestSeen + 1).forEach(unfinished::add);
        Commit next;
        if (unfinished.isEmpty()) {
            // past the position there can be transaction markers: committing it leaves a caught-up lag of 0
            next = new Commit(Math.max(Math.max(finishedThrough, highestSeen) + 1, position), "");
        } else {
            long offset = unfinished.first();
            next = new Commit(offset, new FinishedBeyond(offset, finishedThrough,
                    unfinished.headSet(Math.max(offset, finishedThrough) + 1)).encode());
        }
        return next.equals(lastCommitted) ? Optional.empty() : Optional.of(next);
    }

    void committed(Commit commit) {
        lastCommitted = commit;
    }

    /** The last commit on the partition known to this owner (its own, or the inherited one). */
    Optional<Commit> lastCommitted() {
        return Optional.ofNullable(lastCommitted);
    }

    /** An offset to commit with its metadata. */
    record Commit(long offset, String metadata) {
    }

    /**
     * What a commit says: every offset from {@code committedOffset} through {@code finishedThrough} finished,
     * except those in {@code unfinished} (which holds the committed offset itself when anything finished beyond
     * it). Written as {@code meterflow-finished:v1 through=+N open=+a,+b}, offsets relative to the committed one.
     */
    record FinishedBeyond(long committedOffset, long finishedThrough, SortedSet<Long> unfinished) {

        private static final String PREFIX = "meterflow-finished:v1";

        FinishedBeyond {
            unfinished = new TreeSet<>(unfinished);
        }

        static FinishedBeyond none(long committedOffset) {
            return new FinishedBeyond(committedOffset, -1, new TreeSet<>());
        }

        boolean isEmpty() {
            return finishedThrough < committedOffset;
        }

        boolean finished(long offset) {
            return offset >= committedOffset && offset <= finishedThrough && !unfinished.contains(offset);
        }

        String encode() {
            if (isEmpty()) {
                return "";
            }
            StringBuilder text = new StringBuilder(PREFIX).append(" through=+")
                    .append(finishedThrough - committedOffset).append(" open=");
            String separator = "";
            for (long offset : unfinished) {
                text.append(separator).append('+').append(offset - committedOffset);
                separator = ",";
            }
            return text.toString();
        }

        /**
         * Reads a commit's metadata. Metadata this worker did not write names no finished request.
         *
         * @throws IllegalArgumentException if it has this worker's prefix but cannot be read
         */
        static FinishedBeyond decode(long committedOffset, String metadata) {
            if (metadata == null || !metadata.startsWith(PREFIX + " ")) {
                return none(committedOffset);
            }
            try {
                String[] parts = metadata.substring(PREFIX.length() + 1).split(" ");
                long through = committedOffset + Long.parseLong(field(parts[0], "through=+"));
                TreeSet<Long> open = new TreeSet<>();
                String list = field(parts[1], "open=");
                for (String relative : list.isEmpty() ? new String[0] : list.split(",")) {
                    open.add(committedOffset + Long.parseLong(field(relative, "+")));
                }
                return new FinishedBeyond(committedOffset, through, open);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("unreadable committed-offset metadata '" + metadata + "': "
                        + e.getMessage(), e);
            }
        }

        private static String field(String part, String name) {
            if (!part.startsWith(name)) {
                throw new IllegalArgumentException("expected " + name + " in '" + part + "'");
            }
            return part.substring(name.length());
        }
    }
}
