-- The read model of the topics. Every primary key is what makes a replayed write a no-op: the consumer
-- stores its offsets in the same transaction as the rows, so a replay only happens after a lost transaction.

CREATE TABLE read_model_offsets (
    topic        text    NOT NULL,
    partition_no integer NOT NULL,
    next_offset  bigint  NOT NULL,
    PRIMARY KEY (topic, partition_no)
);

-- Records that could not be decoded: kept with their coordinates and why, never fatal.
CREATE TABLE read_model_skipped (
    topic        text        NOT NULL,
    partition_no integer     NOT NULL,
    record_offset bigint     NOT NULL,
    reason       text        NOT NULL,
    skipped_at   timestamptz NOT NULL,
    PRIMARY KEY (topic, partition_no, record_offset)
);

CREATE TABLE accounts (
    account_id            text PRIMARY KEY,
    rate_plan_id          text,
    parent_account_id     text,
    auto_recharge_enabled boolean,
    recharge_mode         text,
    threshold_micros      bigint,
    target_micros         bigint,
    amount_micros         bigint,
    payment_methods       jsonb,
    billing_emails        jsonb,
    critical_billing_phone text,
    direct_charge_plan_fee boolean,
    service_address       jsonb,
    tax_exempt            boolean,
    settings_updated_at   timestamptz,
    balance_micros        bigint,
    status                text,
    pending_recharge_id   text,
    balance_updated_at    timestamptz,
    status_reason         text,
    status_changed_at     timestamptz
);
CREATE INDEX accounts_parent ON accounts (parent_account_id) WHERE parent_account_id IS NOT NULL;

-- Every charge, decline and refusal. Partitioned by month of completion so retention drops whole months.
CREATE TABLE payments (
    request_id        text        NOT NULL,
    completed_at      timestamptz NOT NULL,
    account_id        text        NOT NULL,
    reason            text        NOT NULL,
    status            text        NOT NULL,
    amount_cents      bigint      NOT NULL,
    payment_method_id text,
    gateway_charge_id text,
    decline_codes     text        NOT NULL,
    PRIMARY KEY (request_id, completed_at)
) PARTITION BY RANGE (completed_at);
CREATE INDEX payments_account_time ON payments (account_id, completed_at DESC, request_id DESC);

CREATE TABLE receipts (
    receipt_id        text        NOT NULL,
    charged_at        timestamptz NOT NULL,
    request_id        text        NOT NULL,
    account_id        text        NOT NULL,
    amount_cents      bigint      NOT NULL,
    currency          text        NOT NULL,
    brand             text        NOT NULL,
    last4             text        NOT NULL,
    gateway_charge_id text        NOT NULL,
    PRIMARY KEY (receipt_id, charged_at)
) PARTITION BY RANGE (charged_at);
CREATE INDEX receipts_request ON receipts (request_id);

-- One-time payments asked for through the API, pending until their result arrives.
CREATE TABLE payment_commands (
    command_id        text PRIMARY KEY,
    account_id        text        NOT NULL,
    amount_cents      bigint      NOT NULL,
    payment_method_id text,
    requested_at      timestamptz NOT NULL,
    requested_by      text
);
CREATE INDEX payment_commands_account ON payment_commands (account_id, requested_at DESC);

-- Payment activity, status changes and settings changes, with who made them. log_id is derived from the
-- source record (notification id, settings update time, command id).
CREATE TABLE billing_log (
    log_id     text PRIMARY KEY,
    account_id text        NOT NULL,
    at         timestamptz NOT NULL,
    kind       text        NOT NULL,
    summary    text        NOT NULL,
    actor      text
);
CREATE INDEX billing_log_account_time ON billing_log (account_id, at DESC, log_id DESC);

-- The usage-rollups topic's running totals: the latest one per account, day and SKU wins.
CREATE TABLE daily_usage (
    account_id    text   NOT NULL,
    day           date   NOT NULL,
    sku           text   NOT NULL,
    quantity      bigint NOT NULL,
    amount_micros bigint NOT NULL,
    event_count   bigint NOT NULL,
    PRIMARY KEY (account_id, day, sku)
) PARTITION BY RANGE (day);

-- The balance after the last ledger entry posted on each UTC day.
CREATE TABLE daily_closing_balances (
    account_id     text        NOT NULL,
    day            date        NOT NULL,
    balance_micros bigint      NOT NULL,
    last_posted_at timestamptz NOT NULL,
    last_entry_id  text        NOT NULL,
    PRIMARY KEY (account_id, day)
) PARTITION BY RANGE (day);

CREATE TABLE tax_lines (
    entry_id      text PRIMARY KEY,
    account_id    text        NOT NULL,
    amount_micros bigint      NOT NULL,
    occurred_at   timestamptz NOT NULL
);
CREATE INDEX tax_lines_account_time ON tax_lines (account_id, occurred_at);
