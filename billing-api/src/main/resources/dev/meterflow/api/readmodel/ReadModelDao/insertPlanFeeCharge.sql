INSERT INTO plan_fee_charges (account_id, day, entry_id, request_id, sku, charged_micros, payment_method_id,
                              posted_at)
VALUES (:accountId, :day, :entryId, :requestId, :sku, :chargedMicros, :paymentMethodId, :postedAt)
ON CONFLICT DO NOTHING
