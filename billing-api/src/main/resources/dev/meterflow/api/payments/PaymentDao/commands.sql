SELECT c.command_id, c.account_id, c.amount_cents, c.payment_method_id, c.requested_at, c.requested_by,
       f.message AS refusal
FROM payment_commands c
LEFT JOIN refusals f ON f.kind = 'PAYMENT' AND f.subject_id = c.command_id AND f.subject_at = c.requested_at
WHERE c.account_id = :accountId
  AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.request_id = c.request_id)
ORDER BY c.requested_at DESC, c.command_id DESC
LIMIT :limit
