INSERT INTO payment_commands (command_id, account_id, amount_cents, payment_method_id, requested_at, requested_by,
                              request_id)
VALUES (:commandId, :accountId, :amountCents, :paymentMethodId, :requestedAt, :requestedBy, :requestId)
ON CONFLICT DO NOTHING
