package dev.meterflow.api.readmodel;

import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes rows made by {@link Projection} through the read model's own writer (monthly partitions, retention,
 * settings versions), without Kafka and without stored offsets: for loading a benchmark's history straight into
 * PostgreSQL. In production the read model's consumer is the only writer.
 */
public final class DirectLoad {

    private final ReadModelWriter writer;

    public DirectLoad(Jdbi jdbi, Retention retention, Clock clock) {
        this.writer = new ReadModelWriter(jdbi, retention, clock);
    }

    /** Writes the rows in one transaction; returns how many were older than the retention and left out. */
    public int write(List<ReadModelRow> rows) {
        Batch batch = new Batch();
        batch.add(rows);
        return writer.write(batch);
    }
}
