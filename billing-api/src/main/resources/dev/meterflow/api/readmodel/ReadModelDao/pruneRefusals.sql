DELETE FROM refusals r
WHERE r.subject_at < :before
  AND NOT EXISTS (SELECT 1 FROM settings_versions s
                  WHERE r.kind = 'SETTINGS' AND s.account_id = r.subject_id AND s.updated_at = r.subject_at)
  AND NOT EXISTS (SELECT 1 FROM payment_commands c
                  WHERE r.kind = 'PAYMENT' AND c.command_id = r.subject_id AND c.requested_at = r.subject_at)
