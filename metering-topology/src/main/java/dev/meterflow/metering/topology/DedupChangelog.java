package dev.meterflow.metering.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.internals.WindowKeySchema;

/**
 * The records of {@code dedup-store}'s changelog. One record holds every id a task marked between two commits (a
 * batch), instead of one record per id. On restore a batch is expanded into the records the window store behind
 * the index restores from (its own changelog form: key, time, sequence 0), and a record written by a release that
 * logged one record per id passes through unchanged.
 *
 * <p>A batch's key is a NUL byte, its first mark's key and time, and twelve zero bytes: no per-id key starts with
 * NUL (it starts with the id's kind), the first mark makes it unique on a compacted topic, and a release that reads
 * it as a per-id record sees time 0 and sequence 0, an expired segment, and skips it.
 */
final class DedupChangelog {

    /** A batch is cut at this size (at most), well under the producer's and the topic's 1 MiB limit. */
    static final int MAX_BATCH_BYTES = 256 * 1024;

    private static final byte BATCH = 0;
    private static final byte VERSION = 1;
    private static final int WINDOW_SUFFIX = Long.BYTES + Integer.BYTES;

    /** One id marked: its dedup key, the value remembered for it and the wall-clock time it was marked. */
    record Mark(String key, String value, long timestampMs) {

        /** An upper bound of its encoded size, without encoding it: UTF-8 takes at most 3 bytes per char. */
        int encodedBytesAtMost() {
            return 3 * (key.length() + value.length()) + 2 * Integer.BYTES + Long.BYTES;
        }
    }

    private DedupChangelog() {
    }

    static boolean isBatch(byte[] changelogKey) {
        return changelogKey != null && changelogKey.length > 0 && changelogKey[0] == BATCH;
    }

    static byte[] batchKey(List<Mark> marks) {
        Mark first = marks.get(0);
        byte[] key = utf8(first.key());
        return ByteBuffer.allocate(1 + key.length + Long.BYTES + WINDOW_SUFFIX)
                .put(BATCH).put(key).putLong(first.timestampMs())
                .array();
    }

    static byte[] batchValue(List<Mark> marks) {
        int bound = 1 + Integer.BYTES + marks.stream().mapToInt(Mark::encodedBytesAtMost).sum();
        ByteBuffer buffer = ByteBuffer.allocate(bound).put(VERSION).putInt(marks.size());
        for (Mark mark : marks) {
            byte[] key = utf8(mark.key());
            byte[] value = utf8(mark.value());
            buffer.putInt(key.length).put(key).putInt(value.length).put(value).putLong(mark.timestampMs());
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** @throws IllegalArgumentException if the bytes are not a batch this release wrote */
    static List<Mark> marks(byte[] batchValue) {
        ByteBuffer buffer = ByteBuffer.wrap(batchValue);
        try {
            byte version = buffer.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("dedup changelog batch of unknown version " + version);
            }
            int count = buffer.getInt();
            List<Mark> marks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                marks.add(new Mark(string(buffer), string(buffer), buffer.getLong()));
            }
            if (buffer.hasRemaining()) {
                throw new IllegalArgumentException("dedup changelog batch has " + buffer.remaining()
                        + " bytes after its " + count + " marks");
            }
            return marks;
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException("dedup changelog batch cannot be read: " + e, e);
        }
    }

    /**
     * The records the index restores from: a batch as one record per mark, in the window store's changelog form;
     * anything else as it is.
     */
    static Collection<ConsumerRecord<byte[], byte[]>> expand(Collection<ConsumerRecord<byte[], byte[]>> records) {
        List<ConsumerRecord<byte[], byte[]>> expanded = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!isBatch(record.key()) || record.value() == null) {
                expanded.add(record);
                continue;
            }
            for (Mark mark : marks(record.value())) {
                expanded.add(indexRecord(record, mark));
            }
        }
        return expanded;
    }

    private static ConsumerRecord<byte[], byte[]> indexRecord(ConsumerRecord<byte[], byte[]> batch, Mark mark) {
        byte[] key = WindowKeySchema.toStoreKeyBinary(Bytes.wrap(utf8(mark.key())), mark.timestampMs(), 0).get();
        byte[] value = utf8(mark.value());
        return new ConsumerRecord<>(batch.topic(), batch.partition(), batch.offset(), mark.timestampMs(),
                TimestampType.CREATE_TIME, key.length, value.length, key, value, batch.headers(), Optional.empty());
    }

    private static String string(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
