package dev.meterflow.api.readmodel;

import dev.meterflow.api.readmodel.ReadModelRow.BalanceRow;
import dev.meterflow.api.readmodel.ReadModelRow.BillingLogRow;
import dev.meterflow.api.readmodel.ReadModelRow.ClosingBalanceRow;
import dev.meterflow.api.readmodel.ReadModelRow.DailyUsageRow;
import dev.meterflow.api.readmodel.ReadModelRow.Dated;
import dev.meterflow.api.readmodel.ReadModelRow.LedgerTotalRow;
import dev.meterflow.api.readmodel.ReadModelRow.PaymentCommandRow;
import dev.meterflow.api.readmodel.ReadModelRow.PaymentRow;
import dev.meterflow.api.readmodel.ReadModelRow.PlanFeeChargeRow;
import dev.meterflow.api.readmodel.ReadModelRow.ReceiptRow;
import dev.meterflow.api.readmodel.ReadModelRow.RefusalRow;
import dev.meterflow.api.readmodel.ReadModelRow.SettingsRow;
import dev.meterflow.api.readmodel.ReadModelRow.StatusRow;
import dev.meterflow.api.readmodel.ReadModelRow.TaxLineRow;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes one batch and the offsets after it in one PostgreSQL transaction: either both are stored or neither,
 * so the stored offsets always say exactly which records the rows contain.
 */
final class ReadModelWriter {

    private final Jdbi jdbi;
    private final Retention retention;
    private final Clock clock;
    private final Map<Class<? extends ReadModelRow>, PartitionedTable> partitioned;

    ReadModelWriter(Jdbi jdbi, Retention retention, Clock clock) {
        this.jdbi = jdbi;
        this.retention = retention;
        this.clock = clock;
        Map<String, PartitionedTable> tables = PartitionedTable.all().stream()
                .collect(java.util.stream.Collectors.toMap(PartitionedTable::name, Function.identity()));
        this.partitioned = Map.of(PaymentRow.class, tables.get("payments"), ReceiptRow.class, tables.get("receipts"),
                DailyUsageRow.class, tables.get("daily_usage"),
                ClosingBalanceRow.class, tables.get("daily_closing_balances"),
                LedgerTotalRow.class, tables.get("daily_ledger_totals"),
                PlanFeeChargeRow.class, tables.get("plan_fee_charges"));
    }

    /** Writes the batch; returns how many rows were older than the retention and left out. */
    int write(Batch batch) {
        try {
            return jdbi.inTransaction(handle -> writeIn(handle, batch));
        } catch (RuntimeException e) {
            partitioned.values().forEach(PartitionedTable::forgetCreated);
            throw e;
        }
    }

    /** Drops the monthly partitions the retention no longer keeps; returns how many. */
    int dropExpiredPartitions() {
        YearMonth oldestKept = retention.oldestKept(LocalDate.now(clock));
        return jdbi.inTransaction(handle -> partitioned.values().stream()
                .mapToInt(table -> table.dropBefore(handle, oldestKept)).sum());
    }

    /**
     * Deletes the settings versions the retention no longer keeps, but never the last accepted one before it: a
     * refusal can only send an account back to a version it still has. Returns how many.
     */
    int pruneSettingsVersions() {
        return jdbi.withExtension(ReadModelDao.class, dao -> dao.pruneSettingsVersions(oldestKeptInstant()));
    }

    /** Deletes the payment commands the retention no longer keeps; returns how many. */
    int prunePaymentCommands() {
        return jdbi.withExtension(ReadModelDao.class, dao -> dao.prunePaymentCommands(oldestKeptInstant()));
    }

    /**
     * Deletes the refusals the retention no longer keeps, once what they refused is gone (run after the settings
     * versions and payment commands are pruned); returns how many.
     */
    int pruneRefusals() {
        return jdbi.withExtension(ReadModelDao.class, dao -> dao.pruneRefusals(oldestKeptInstant()));
    }

    private Instant oldestKeptInstant() {
        return retention.oldestKept(LocalDate.now(clock)).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private int writeIn(Handle handle, Batch batch) {
        LocalDate today = LocalDate.now(clock);
        ReadModelDao dao = handle.attach(ReadModelDao.class);
        dao.upsertSettings(batch.rowsOf(SettingsRow.class));
        keepSettingsVersions(dao, batch);
        dao.upsertBalance(batch.rowsOf(BalanceRow.class));
        dao.upsertStatus(batch.rowsOf(StatusRow.class));
        dao.insertPaymentCommand(batch.rowsOf(PaymentCommandRow.class));
        dao.insertBillingLog(batch.rowsOf(BillingLogRow.class));
        dao.insertTaxLine(batch.rowsOf(TaxLineRow.class));
        dao.upsertRefusal(batch.rowsOf(RefusalRow.class));
        dao.showAcceptedSettings(settingsTouched(batch));
        List<PaymentRow> payments = kept(handle, batch.rowsOf(PaymentRow.class), today);
        List<ReceiptRow> receipts = kept(handle, batch.rowsOf(ReceiptRow.class), today);
        List<DailyUsageRow> usage = kept(handle, batch.rowsOf(DailyUsageRow.class), today);
        List<ClosingBalanceRow> closing = kept(handle, batch.rowsOf(ClosingBalanceRow.class), today);
        List<LedgerTotalRow> totals = kept(handle, batch.rowsOf(LedgerTotalRow.class), today);
        List<PlanFeeChargeRow> planFees = kept(handle, batch.rowsOf(PlanFeeChargeRow.class), today);
        dao.insertPayment(payments);
        dao.insertReceipt(receipts);
        dao.upsertDailyUsage(usage);
        dao.upsertClosingBalance(closing);
        dao.addLedgerTotal(totals);
        dao.insertPlanFeeCharge(planFees);
        dao.insertSkipped(batch.skipped());
        dao.upsertOffset(batch.offsets());
        return batch.rowsOf(PaymentRow.class).size() - payments.size()
                + batch.rowsOf(ReceiptRow.class).size() - receipts.size()
                + batch.rowsOf(DailyUsageRow.class).size() - usage.size()
                + batch.rowsOf(ClosingBalanceRow.class).size() - closing.size()
                + batch.rowsOf(LedgerTotalRow.class).size() - totals.size()
                + batch.rowsOf(PlanFeeChargeRow.class).size() - planFees.size();
    }

    /** Each account's settings versions after its last tombstone; a tombstone forgets the versions before it. */
    private static void keepSettingsVersions(ReadModelDao dao, Batch batch) {
        Map<String, List<SettingsRow>> byAccount = new LinkedHashMap<>();
        Set<String> cleared = new LinkedHashSet<>();
        for (SettingsRow row : batch.rowsOf(SettingsRow.class)) {
            if (row.updatedAt() == null) {
                cleared.add(row.accountId());
                byAccount.remove(row.accountId());
            } else {
                byAccount.computeIfAbsent(row.accountId(), account -> new ArrayList<>()).add(row);
            }
        }
        dao.deleteSettingsVersions(List.copyOf(cleared));
        dao.insertSettingsVersion(byAccount.values().stream().flatMap(List::stream).toList());
    }

    /** Accounts whose shown settings may have to go back to an earlier version: new settings, or a refusal. */
    private static List<String> settingsTouched(Batch batch) {
        Set<String> accounts = new LinkedHashSet<>();
        batch.rowsOf(SettingsRow.class).stream().filter(row -> row.updatedAt() != null)
                .forEach(row -> accounts.add(row.accountId()));
        batch.rowsOf(RefusalRow.class).stream().filter(row -> Projection.SETTINGS_REFUSAL.equals(row.kind()))
                .forEach(row -> accounts.add(row.accountId()));
        return List.copyOf(accounts);
    }

    /** The rows the retention keeps, with their months' partitions created. */
    private <R extends ReadModelRow & Dated> List<R> kept(Handle handle, List<R> rows, LocalDate today) {
        List<R> kept = rows.stream().filter(row -> retention.keeps(row.day(), today)).toList();
        if (!kept.isEmpty()) {
            PartitionedTable table = partitioned.get(kept.get(0).getClass());
            kept.stream().map(row -> YearMonth.from(row.day())).distinct()
                    .forEach(month -> table.ensure(handle, month));
        }
        return kept;
    }
}
