package dev.meterflow.api.statements;

import java.time.LocalDate;

/**
 * What an account's ledger entries of one kind and SKU added up to on one UTC day of posting (a row of
 * {@code daily_ledger_totals}); {@code sku} is {@code ""} for entries without one.
 */
public record LedgerTotal(LocalDate day, String kind, String sku, long amountMicros, long quantity) {
}
