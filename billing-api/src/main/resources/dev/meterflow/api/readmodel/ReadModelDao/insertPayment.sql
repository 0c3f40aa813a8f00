INSERT INTO payments (request_id, completed_at, account_id, reason, status, amount_cents, payment_method_id,
                      gateway_charge_id, decline_codes)
VALUES (:requestId, :completedAt, :accountId, :reason, :status, :amountCents, :paymentMethodId,
        :gatewayChargeId, :declineCodes)
ON CONFLICT DO NOTHING
