-- A TAX ledger entry's details (LedgerEntry v2): the month taxed, where, on what and at which rate. Null for
-- entries written before v2.
ALTER TABLE tax_lines ADD COLUMN tax_period text;
ALTER TABLE tax_lines ADD COLUMN tax_jurisdiction text;
ALTER TABLE tax_lines ADD COLUMN taxable_base_micros bigint;
ALTER TABLE tax_lines ADD COLUMN tax_rate_ppm bigint;
