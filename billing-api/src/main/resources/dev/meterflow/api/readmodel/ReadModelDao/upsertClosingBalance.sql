INSERT INTO daily_closing_balances (account_id, day, balance_micros, last_posted_at, last_entry_id)
VALUES (:accountId, :day, :balanceMicros, :lastPostedAt, :lastEntryId)
ON CONFLICT (account_id, day) DO UPDATE SET
    balance_micros = EXCLUDED.balance_micros, last_posted_at = EXCLUDED.last_posted_at,
    last_entry_id = EXCLUDED.last_entry_id
