INSERT INTO tax_lines (entry_id, account_id, amount_micros, occurred_at, tax_period, tax_jurisdiction,
                       taxable_base_micros, tax_rate_ppm)
VALUES (:entryId, :accountId, :amountMicros, :occurredAt, :taxPeriod, :taxJurisdiction, :taxableBaseMicros,
        :taxRatePpm)
ON CONFLICT DO NOTHING
