UPDATE users SET failed_logins = :failures, locked_until = :lockedUntil WHERE user_id = :userId
