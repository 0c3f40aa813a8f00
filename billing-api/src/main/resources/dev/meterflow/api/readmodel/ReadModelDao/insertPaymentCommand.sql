INSERT INTO payment_commands (command_id, account_id, amount_cents, payment_method_id, requested_at, requested_by)
VALUES (:commandId, :accountId, :amountCents, :paymentMethodId, :requestedAt, :requestedBy)
ON CONFLICT DO NOTHING
