INSERT INTO sessions (session_hash, user_id, csrf_token, expires_at)
VALUES (:sessionHash, :userId, :csrfToken, :expiresAt)
