-- Ledger entries summed per account, UTC day (of posting), kind and SKU: the lines of a statement. Unlike the
-- other tables a replayed write would add twice; the offsets stored in the same transaction keep it exactly once.
CREATE TABLE daily_ledger (
    account_id    text   NOT NULL,
    day           date   NOT NULL,
    kind          text   NOT NULL,
    sku           text   NOT NULL,
    amount_micros bigint NOT NULL,
    entry_count   bigint NOT NULL,
    PRIMARY KEY (account_id, day, kind, sku)
) PARTITION BY RANGE (day);
