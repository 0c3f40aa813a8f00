INSERT INTO billing_log (log_id, account_id, at, kind, summary, actor)
VALUES (:logId, :accountId, :at, :kind, :summary, :actor)
ON CONFLICT DO NOTHING
