SELECT command_id, account_id, amount_cents, payment_method_id, requested_at, requested_by
FROM payment_commands WHERE account_id = :accountId
ORDER BY requested_at DESC, command_id DESC
LIMIT :limit
