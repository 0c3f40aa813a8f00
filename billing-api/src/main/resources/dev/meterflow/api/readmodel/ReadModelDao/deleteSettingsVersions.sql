DELETE FROM settings_versions WHERE account_id = :accountId
