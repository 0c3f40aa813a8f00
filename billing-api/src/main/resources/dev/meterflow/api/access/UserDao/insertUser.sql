INSERT INTO users (user_id, email, password_hash, role, account_id)
VALUES (:userId, lower(:email), :passwordHash, :role, :accountId)
