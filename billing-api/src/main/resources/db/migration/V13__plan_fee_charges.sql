-- A plan fee charged to a payment method instead of the balance (LedgerEntry PLAN_FEE_DIRECT): its entry's
-- amount_micros is 0, so daily_ledger_totals cannot say what was paid. One row per such entry keeps the charged
-- amount, the method and the request that charged it (its receipt names the card), for statements. Partitioned by
-- month of the posting day like daily_ledger_totals, and dropped with it.
CREATE TABLE plan_fee_charges (
    account_id        text        NOT NULL,
    day               date        NOT NULL,
    entry_id          text        NOT NULL,
    request_id        text        NOT NULL,
    sku               text        NOT NULL,
    charged_micros    bigint      NOT NULL,
    payment_method_id text,
    posted_at         timestamptz NOT NULL,
    PRIMARY KEY (account_id, day, entry_id)
) PARTITION BY RANGE (day);
