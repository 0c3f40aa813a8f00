INSERT INTO accounts (account_id, balance_micros, status, pending_recharge_id, balance_updated_at)
VALUES (:accountId, :balanceMicros, :status, :pendingRechargeId, :updatedAt)
ON CONFLICT (account_id) DO UPDATE SET
    balance_micros = EXCLUDED.balance_micros, status = EXCLUDED.status,
    pending_recharge_id = EXCLUDED.pending_recharge_id, balance_updated_at = EXCLUDED.balance_updated_at
