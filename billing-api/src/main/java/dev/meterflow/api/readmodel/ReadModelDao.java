package dev.meterflow.api.readmodel;

import dev.meterflow.api.readmodel.ReadModelRow.BalanceRow;
import dev.meterflow.api.readmodel.ReadModelRow.BillingLogRow;
import dev.meterflow.api.readmodel.ReadModelRow.ClosingBalanceRow;
import dev.meterflow.api.readmodel.ReadModelRow.DailyUsageRow;
import dev.meterflow.api.readmodel.ReadModelRow.LedgerTotalRow;
import dev.meterflow.api.readmodel.ReadModelRow.PaymentCommandRow;
import dev.meterflow.api.readmodel.ReadModelRow.PaymentRow;
import dev.meterflow.api.readmodel.ReadModelRow.PlanFeeChargeRow;
import dev.meterflow.api.readmodel.ReadModelRow.ReceiptRow;
import dev.meterflow.api.readmodel.ReadModelRow.RefusalRow;
import dev.meterflow.api.readmodel.ReadModelRow.SettingsRow;
import dev.meterflow.api.readmodel.ReadModelRow.StatusRow;
import dev.meterflow.api.readmodel.ReadModelRow.TaxLineRow;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The read model's writes, one batched statement per row kind; the SQL of each method is the file of the same
 * name beside this class ({@code ReadModelDao/<method>.sql}). Every write but {@link #addLedgerTotal} is an upsert
 * on the table's primary key, so applying a batch twice leaves the same rows; the ledger totals add up and rely
 * on the offsets stored in the same transaction.
 */
@UseClasspathSqlLocator
public interface ReadModelDao {

    @SqlBatch
    void upsertSettings(@BindMethods List<SettingsRow> rows);

    @SqlBatch
    void upsertBalance(@BindMethods List<BalanceRow> rows);

    @SqlBatch
    void upsertStatus(@BindMethods List<StatusRow> rows);

    @SqlBatch
    void insertPayment(@BindMethods List<PaymentRow> rows);

    @SqlBatch
    void insertReceipt(@BindMethods List<ReceiptRow> rows);

    @SqlBatch
    void insertPaymentCommand(@BindMethods List<PaymentCommandRow> rows);

    @SqlBatch
    void insertBillingLog(@BindMethods List<BillingLogRow> rows);

    @SqlBatch
    void upsertDailyUsage(@BindMethods List<DailyUsageRow> rows);

    @SqlBatch
    void upsertClosingBalance(@BindMethods List<ClosingBalanceRow> rows);

    /** Adds to the day's total: applied once per entry only because the offsets are stored with it. */
    @SqlBatch
    void addLedgerTotal(@BindMethods List<LedgerTotalRow> rows);

    @SqlBatch
    void insertTaxLine(@BindMethods List<TaxLineRow> rows);

    @SqlBatch
    void insertPlanFeeCharge(@BindMethods List<PlanFeeChargeRow> rows);

    @SqlBatch
    void upsertRefusal(@BindMethods List<RefusalRow> rows);

    @SqlBatch
    void insertSettingsVersion(@BindMethods List<SettingsRow> rows);

    @SqlBatch
    void deleteSettingsVersions(@Bind("accountId") List<String> accountIds);

    /** Shows each account's latest settings version the pipeline did not refuse. */
    /**
     * Deletes the settings versions older than {@code before} that a later version, itself older than
     * {@code before} and not refused, replaces: each account keeps every newer version and the last one accepted
     * before it, the one it goes back to if a newer one is refused. Returns how many.
     */
    @SqlUpdate
    int pruneSettingsVersions(@Bind("before") Instant before);

    /**
     * Deletes the payment commands asked for before {@code before}: their results' monthly partitions are dropped
     * at that age, after which a command would be listed as waiting for its result again. Returns how many.
     */
    @SqlUpdate
    int prunePaymentCommands(@Bind("before") Instant before);

    /**
     * Deletes the refusals of writes made before {@code before} whose subject is gone: a refusal of a settings
     * version still kept stays, since it is what keeps that version from being shown. Returns how many.
     */
    @SqlUpdate
    int pruneRefusals(@Bind("before") Instant before);

    @SqlBatch
    void showAcceptedSettings(@Bind("accountId") List<String> accountIds);

    @SqlBatch
    void insertSkipped(@BindMethods List<SkippedRecord> rows);

    @SqlBatch
    void upsertOffset(@BindMethods List<StoredOffset> offsets);

    @SqlQuery
    @KeyColumn("topic_partition")
    @ValueColumn("next_offset")
    java.util.Map<String, Long> storedOffsets();

    /** The next offset to read of one partition, stored with the rows it produced. */
    record StoredOffset(String topic, int partition, long nextOffset) {
    }

    /** A record the read model could not use: where it is and why. */
    record SkippedRecord(String topic, int partition, long offset, String reason, java.time.Instant skippedAt) {
    }
}
