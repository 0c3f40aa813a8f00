INSERT INTO daily_ledger_totals AS t (account_id, day, kind, sku, amount_micros, quantity, entry_count)
VALUES (:accountId, :day, :kind, :sku, :amountMicros, :quantity, 1)
ON CONFLICT (account_id, day, kind, sku) DO UPDATE SET
    amount_micros = t.amount_micros + EXCLUDED.amount_micros, quantity = t.quantity + EXCLUDED.quantity,
    entry_count = t.entry_count + 1
