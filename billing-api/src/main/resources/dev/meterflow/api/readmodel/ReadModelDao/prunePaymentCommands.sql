DELETE FROM payment_commands WHERE requested_at < :before
