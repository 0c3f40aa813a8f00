SELECT u.user_id, u.email, u.password_hash, u.role, u.account_id, u.failed_logins, u.locked_until,
       NULL AS csrf_token
FROM api_tokens t JOIN users u ON u.user_id = t.user_id
WHERE t.token_hash = :tokenHash
