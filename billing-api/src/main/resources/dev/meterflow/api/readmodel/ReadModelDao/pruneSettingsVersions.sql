DELETE FROM settings_versions s
WHERE s.updated_at < :before
  AND EXISTS (SELECT 1 FROM settings_versions later
              WHERE later.account_id = s.account_id
                AND later.updated_at > s.updated_at AND later.updated_at < :before
                AND NOT EXISTS (SELECT 1 FROM refusals r
                                WHERE r.kind = 'SETTINGS' AND r.subject_id = later.account_id
                                  AND r.subject_at = later.updated_at))
