SELECT user_id, email, password_hash, role, account_id, failed_logins, locked_until, NULL AS csrf_token
FROM users WHERE email = lower(:email)
