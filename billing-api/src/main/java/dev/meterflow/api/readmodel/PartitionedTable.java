package dev.meterflow.api.readmodel;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table partitioned by month (range of a date or UTC timestamp column): creates a month's partition when a
 * row first needs it and drops the months {@link Retention} no longer keeps (a drop is cheap, unlike a delete).
 */
final class PartitionedTable {


    private static final Logger log = LoggerFactory.getLogger(PartitionedTable.class);

    private final String name;
    private final boolean timestampKey;
    private final Set<YearMonth> known = new HashSet<>();

    private PartitionedTable(String name, boolean timestampKey) {
        this.name = name;
        this.timestampKey = timestampKey;
    }

    /** The read model's partitioned tables, each with a cache of its own. */
    static List<PartitionedTable> all() {
        return List.of(new PartitionedTable("payments", true), new PartitionedTable("receipts", true),
                new PartitionedTable("daily_usage", false), new PartitionedTable("daily_closing_balances", false),
                new PartitionedTable("daily_ledger_totals", false), new PartitionedTable("plan_fee_charges", false));
    }

    String name() {
        return name;
    }

    /** After a rolled-back transaction: the partitions it created are gone again. */
    void forgetCreated() {
        known.clear();
    }

    void ensure(Handle handle, YearMonth month) {
        if (known.contains(month)) {
            return;
        }
        // names and bounds come from a YearMonth, never from input text
        handle.execute("CREATE TABLE IF NOT EXISTS " + Retention.partitionName(name, month) + " PARTITION OF " + name
                + " FOR VALUES FROM (" + bound(month) + ") TO (" + bound(month.plusMonths(1)) + ")");
        known.add(month);
    }

    /** Drops the partitions older than {@code oldestKept}; returns how many. */
    int dropBefore(Handle handle, YearMonth oldestKept) {
        List<String> partitions = handle.createQuery("""
                SELECT child.relname FROM pg_inherits
                JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
                JOIN pg_class child ON child.oid = pg_inherits.inhrelid
                WHERE parent.relname = :table""").bind("table", name).mapTo(String.class).list();
        int dropped = 0;
        for (String partition : partitions) {
            var month = Retention.monthOf(partition);
            if (month.isPresent() && month.get().isBefore(oldestKept)) {
                handle.execute("DROP TABLE " + partition);
                known.remove(month.get());
                log.info("read model partition dropped table='{}' partition='{}'", name, partition);
                dropped++;
            }
        }
        return dropped;
    }

    private String bound(YearMonth month) {
        return timestampKey ? "'" + month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant() + "'"
                : "'" + month.atDay(1) + "'";
    }
}
