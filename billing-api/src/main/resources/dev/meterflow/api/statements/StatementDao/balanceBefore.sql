SELECT balance_micros FROM daily_closing_balances
WHERE account_id = :accountId AND day < :from
ORDER BY day DESC
LIMIT 1
