package dev.meterflow.api.readmodel;

import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Writes rows into the read model as its consumer does (monthly partitions created), for other packages' tests. */
public final class ReadModelFixture {

    private ReadModelFixture() {
    }

    public static void write(Jdbi jdbi, Clock clock, List<? extends ReadModelRow> rows) {
        Batch batch = new Batch();
        batch.add(List.copyOf(rows));
        new ReadModelWriter(jdbi, new Retention(25), clock).write(batch);
    }
}
