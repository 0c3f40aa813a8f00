SELECT log_id, account_id, at, kind, summary, actor FROM billing_log
WHERE account_id = :accountId
  AND (CAST(:pattern AS text) IS NULL OR summary ILIKE :pattern OR actor ILIKE :pattern)
  AND (CAST(:kind AS text) IS NULL OR kind = :kind)
  AND at >= :fromAt AND at < :toAt
  AND (at, log_id) < (:beforeAt, :beforeId)
ORDER BY at DESC, log_id DESC
LIMIT :limit
