INSERT INTO daily_ledger (account_id, day, kind, sku, amount_micros, entry_count)
VALUES (:accountId, :day, :kind, :sku, :amountMicros, 1)
ON CONFLICT (account_id, day, kind, sku) DO UPDATE SET
    amount_micros = daily_ledger.amount_micros + EXCLUDED.amount_micros,
    entry_count = daily_ledger.entry_count + 1
