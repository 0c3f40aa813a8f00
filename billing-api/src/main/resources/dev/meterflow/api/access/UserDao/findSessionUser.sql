SELECT u.user_id, u.email, u.password_hash, u.role, u.account_id, u.failed_logins, u.locked_until, s.csrf_token
FROM sessions s JOIN users u ON u.user_id = s.user_id
WHERE s.session_hash = :sessionHash AND s.expires_at > :now
