SELECT p.request_id, p.completed_at, p.account_id, p.reason, p.status, p.amount_cents, p.payment_method_id,
       p.gateway_charge_id, p.decline_codes, r.receipt_id, r.brand, r.last4, r.currency, r.charged_at
FROM payments p LEFT JOIN receipts r ON r.request_id = p.request_id
WHERE p.account_id = :accountId AND (p.completed_at, p.request_id) < (:beforeAt, :beforeId)
ORDER BY p.completed_at DESC, p.request_id DESC
LIMIT :limit
