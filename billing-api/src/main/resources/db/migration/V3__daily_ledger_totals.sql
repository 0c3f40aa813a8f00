-- What each account's ledger entries added up to per UTC day of posting, kind and SKU (sku '' when the entry has
-- none): with daily_closing_balances (same day, same entries) a statement's lines add up to its closing balance.
-- The one table whose writes add to a row rather than replace it: it is exact because the consumer stores its
-- offsets in the same transaction, so an entry is added again only after its first transaction was rolled back.
CREATE TABLE daily_ledger_totals (
    account_id    text   NOT NULL,
    day           date   NOT NULL,
    kind          text   NOT NULL,
    sku           text   NOT NULL,
    amount_micros bigint NOT NULL,
    quantity      bigint NOT NULL,
    entry_count   bigint NOT NULL,
    PRIMARY KEY (account_id, day, kind, sku)
) PARTITION BY RANGE (day);
