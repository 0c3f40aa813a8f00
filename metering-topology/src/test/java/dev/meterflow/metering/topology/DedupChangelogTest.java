package dev.meterflow.metering.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.metering.topology.DedupChangelog.Mark;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.internals.WindowKeySchema;
import org.junit.jupiter.api.Test;

/** Issue 13, §2: the dedup store's changelog records, one batch per commit, and how a restore reads them. */
class DedupChangelogTest {

    private static final long T0 = 1_764_460_800_000L;
    private static final List<Mark> MARKS = List.of(
            new Mark(Dedup.key('u', "acme", "call-1"), "usage:call-1", T0),
            new Mark(Dedup.key('p', "acme", "rr-acme-1-9f"), "DECLINED", T0 + 40),
            new Mark(Dedup.key('u', "agency-0001-sub-1", "çall-ü"), "usage:çall-ü", T0 + 90));

    @Test
    void shouldReadBackEveryMarkOfABatchInOrder() {
        assertThat(DedupChangelog.marks(DedupChangelog.batchValue(MARKS))).containsExactlyElementsOf(MARKS);
    }

    @Test
    void shouldTellABatchFromARecordLoggedPerIdByTheReleaseBefore() {
        assertThat(DedupChangelog.isBatch(DedupChangelog.batchKey(MARKS))).isTrue();
        assertThat(DedupChangelog.isBatch(perIdRecord(MARKS.get(0).key(), "usage:call-1", T0).key())).isFalse();
    }

    @Test
    void shouldExpandABatchIntoTheIndexsOwnRecordsAndPassPerIdRecordsThrough() {
        ConsumerRecord<byte[], byte[]> old = perIdRecord(Dedup.key('c', "acme", "cmd-1"), "pay-acme-1", T0 - 5);
        ConsumerRecord<byte[], byte[]> batch = record(DedupChangelog.batchKey(MARKS), DedupChangelog.batchValue(MARKS),
                T0 + 90);

        Collection<ConsumerRecord<byte[], byte[]>> expanded = DedupChangelog.expand(List.of(old, batch));

        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(expanded);
        assertThat(records).hasSize(4);
        assertThat(records.get(0)).isSameAs(old);
        for (int i = 0; i < MARKS.size(); i++) {
            Mark mark = MARKS.get(i);
            ConsumerRecord<byte[], byte[]> record = records.get(i + 1);
            assertThat(record.key()).isEqualTo(windowKey(mark.key(), mark.timestampMs()));
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(mark.value());
            assertThat(storedTimestamp(record.key())).isEqualTo(mark.timestampMs());
        }
    }

    @Test
    void shouldLookLikeAnIdAtTimeZeroToAReleaseThatLoggedPerId() {
        // an older release restoring this changelog files the batch in an expired segment instead of misreading it
        byte[] key = DedupChangelog.batchKey(MARKS);

        assertThat(storedTimestamp(key)).isZero();
        assertThat(ByteBuffer.wrap(key, key.length - Integer.BYTES, Integer.BYTES).getInt()).isZero();
    }

    @Test
    void shouldKeepTwoBatchesApartOnACompactedTopic() {
        List<Mark> next = List.of(new Mark(Dedup.key('u', "acme", "call-2"), "usage:call-2", T0 + 100));

        assertThat(DedupChangelog.batchKey(next)).isNotEqualTo(DedupChangelog.batchKey(MARKS));
    }

    @Test
    void shouldBoundTheEncodedSizeFromAbove() {
        int bound = 1 + Integer.BYTES + MARKS.stream().mapToInt(Mark::encodedBytesAtMost).sum();

        assertThat(DedupChangelog.batchValue(MARKS).length).isLessThanOrEqualTo(bound);
    }

    @Test
    void shouldRefuseABatchItCannotRead() {
        byte[] value = DedupChangelog.batchValue(MARKS);
        byte[] otherVersion = value.clone();
        otherVersion[0] = 9;

        assertThatThrownBy(() -> DedupChangelog.marks(otherVersion)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown version 9");
        assertThatThrownBy(() -> DedupChangelog.marks(Arrays.copyOf(value, value.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A record as the window store's changelog held it before this change: one per id. */
    static ConsumerRecord<byte[], byte[]> perIdRecord(String key, String value, long timestampMs) {
        return record(windowKey(key, timestampMs), value.getBytes(StandardCharsets.UTF_8), timestampMs);
    }

    /** The time in a window store's key: the 8 bytes before its 4-byte sequence number. */
    private static long storedTimestamp(byte[] windowKey) {
        return ByteBuffer.wrap(windowKey, windowKey.length - Long.BYTES - Integer.BYTES, Long.BYTES).getLong();
    }

    private static byte[] windowKey(String key, long timestampMs) {
        return WindowKeySchema.toStoreKeyBinary(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)), timestampMs, 0)
                .get();
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value, long timestampMs) {
        return new ConsumerRecord<>("app-dedup-store-changelog", 0, 0, timestampMs, TimestampType.CREATE_TIME,
                key.length, value.length, key, value, new RecordHeaders(),
                Optional.empty());
    }
}
