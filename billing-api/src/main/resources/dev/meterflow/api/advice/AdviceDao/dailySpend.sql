SELECT day, sum(amount_micros) AS amount_micros FROM daily_usage
WHERE account_id = :accountId AND day >= :from AND day < :to
GROUP BY day
