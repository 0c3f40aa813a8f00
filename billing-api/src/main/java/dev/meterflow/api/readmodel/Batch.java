package dev.meterflow.api.readmodel;

import dev.meterflow.api.readmodel.ReadModelDao.SkippedRecord;
import dev.meterflow.api.readmodel.ReadModelDao.StoredOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one poll adds to the read model: the rows in offset order, the skipped records, the next offsets. */
final class Batch {

    private final List<ReadModelRow> rows = new ArrayList<>();
    private final List<SkippedRecord> skipped = new ArrayList<>();
    private final Map<String, StoredOffset> offsets = new LinkedHashMap<>();

    void add(List<ReadModelRow> projected) {
        rows.addAll(projected);
    }

    void skip(SkippedRecord record) {
        skipped.add(record);
    }

    void consumed(String topic, int partition, long offset) {
        offsets.put(topic + "-" + partition, new StoredOffset(topic, partition, offset + 1));
    }

    List<ReadModelRow> rows() {
        return rows;
    }

    List<SkippedRecord> skipped() {
        return skipped;
    }

    List<StoredOffset> offsets() {
        return List.copyOf(offsets.values());
    }

    boolean isEmpty() {
        return offsets.isEmpty();
    }

    /** The rows of one kind, in offset order. */
    <R extends ReadModelRow> List<R> rowsOf(Class<R> kind) {
        return rows.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
