INSERT INTO tax_lines (entry_id, account_id, amount_micros, occurred_at)
VALUES (:entryId, :accountId, :amountMicros, :occurredAt)
ON CONFLICT DO NOTHING
