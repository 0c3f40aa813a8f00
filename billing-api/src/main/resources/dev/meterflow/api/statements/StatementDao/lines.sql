SELECT day, kind, sku, amount_micros FROM daily_ledger
WHERE account_id = :accountId AND day >= :from AND day <= :to
