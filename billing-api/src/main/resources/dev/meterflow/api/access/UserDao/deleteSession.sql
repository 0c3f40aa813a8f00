DELETE FROM sessions WHERE session_hash = :sessionHash
