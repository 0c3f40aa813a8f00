INSERT INTO refusals (kind, subject_id, subject_at, account_id, reason, message, actor)
VALUES (:kind, :subjectId, :subjectAt, :accountId, :reason, :message, :actor)
ON CONFLICT DO NOTHING
