SELECT count(*) FROM payments
WHERE account_id = :accountId AND completed_at >= :since AND status = 'SUCCEEDED' AND reason = 'AUTO_RECHARGE'
