INSERT INTO daily_usage (account_id, day, sku, quantity, amount_micros, event_count)
VALUES (:accountId, :day, :sku, :quantity, :amountMicros, :eventCount)
ON CONFLICT (account_id, day, sku) DO UPDATE SET
    quantity = EXCLUDED.quantity, amount_micros = EXCLUDED.amount_micros, event_count = EXCLUDED.event_count
