SELECT entry_id, occurred_at, amount_micros, tax_period, tax_jurisdiction, taxable_base_micros, tax_rate_ppm
FROM tax_lines WHERE account_id = :accountId
ORDER BY occurred_at DESC, entry_id DESC
LIMIT :limit
