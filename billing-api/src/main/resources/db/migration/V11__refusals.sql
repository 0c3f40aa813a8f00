-- What the pipeline refused (account-settings-rejected, payment-commands-rejected), so that a write the API
-- waits for answers "refused" with the pipeline's message instead of "still applying". A refusal is keyed by
-- what it refused: the settings by account and update time, a payment command by id and request time (the same
-- command id may be sent again once its reason is gone, with a later request time).
CREATE TABLE refusals (
    kind       text        NOT NULL,
    subject_id text        NOT NULL,
    subject_at timestamptz NOT NULL,
    account_id text        NOT NULL,
    reason     text        NOT NULL,
    message    text        NOT NULL,
    actor      text,
    PRIMARY KEY (kind, subject_id, subject_at)
);
CREATE INDEX refusals_account ON refusals (account_id, subject_at DESC);

-- The request id the pipeline gives an accepted payment command, so its result can be found.
ALTER TABLE payment_commands ADD COLUMN request_id text;
CREATE INDEX payment_commands_request ON payment_commands (request_id);

-- Every settings version read from account-settings. The read model shows settings as soon as they are on the
-- topic; when the pipeline refuses a version, the account shows the latest version it did not refuse again.
-- One row per settings change (rare), kept: a refusal can arrive after a later version was shown.
CREATE TABLE settings_versions (
    account_id             text        NOT NULL,
    updated_at             timestamptz NOT NULL,
    rate_plan_id           text,
    parent_account_id      text,
    auto_recharge_enabled  boolean,
    recharge_mode          text,
    threshold_micros       bigint,
    target_micros          bigint,
    amount_micros          bigint,
    payment_methods        jsonb,
    billing_emails         jsonb,
    critical_billing_phone text,
    direct_charge_plan_fee boolean,
    service_address        jsonb,
    tax_exempt             boolean,
    PRIMARY KEY (account_id, updated_at)
);
