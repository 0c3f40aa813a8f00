INSERT INTO accounts (account_id, status, status_reason, status_changed_at)
VALUES (:accountId, :status, :reason, :at)
ON CONFLICT (account_id) DO UPDATE SET
    status = EXCLUDED.status, status_reason = EXCLUDED.status_reason, status_changed_at = EXCLUDED.status_changed_at
