SELECT command_id, account_id, amount_cents, payment_method_id, requested_at, requested_by
FROM payment_commands WHERE command_id = :commandId
