INSERT INTO receipts (receipt_id, charged_at, request_id, account_id, amount_cents, currency, brand, last4,
                      gateway_charge_id)
VALUES (:receiptId, :chargedAt, :requestId, :accountId, :amountCents, :currency, :brand, :last4, :gatewayChargeId)
ON CONFLICT DO NOTHING
