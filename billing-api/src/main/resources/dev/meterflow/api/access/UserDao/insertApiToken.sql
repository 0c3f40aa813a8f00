INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (:tokenHash, :userId, :name, :createdAt)
