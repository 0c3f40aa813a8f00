-- The notifier's memory. A message id is recorded after its message was handed to the SMTP server (or SMS
-- provider) and checked before sending: a crash between the two re-sends only the message in flight.
CREATE TABLE notifier_sent (
    message_id text PRIMARY KEY,
    channel    text        NOT NULL,
    sent_at    timestamptz NOT NULL
);

-- Records of billing-notifications and receipts the notifier could not use: where they are and why.
CREATE TABLE notifier_skipped (
    topic         text        NOT NULL,
    partition_no  integer     NOT NULL,
    record_offset bigint      NOT NULL,
    reason        text        NOT NULL,
    skipped_at    timestamptz NOT NULL,
    PRIMARY KEY (topic, partition_no, record_offset)
);

-- Recurring statements: sent on the 1st of the month (the month before) or on Mondays (the week before), UTC.
CREATE TABLE statement_schedules (
    schedule_id text PRIMARY KEY,
    account_id  text        NOT NULL,
    cadence     text        NOT NULL CHECK (cadence IN ('MONTHLY', 'WEEKLY')),
    addresses   text[]      NOT NULL,
    created_at  timestamptz NOT NULL,
    created_by  text
);
CREATE INDEX statement_schedules_account ON statement_schedules (account_id);

-- Every statement sent by email, asked for once or by a schedule.
CREATE TABLE statement_deliveries (
    delivery_id text PRIMARY KEY,
    account_id  text        NOT NULL,
    period_from date        NOT NULL,
    period_to   date        NOT NULL,
    addresses   text[]      NOT NULL,
    schedule_id text,
    sent_at     timestamptz NOT NULL
);
CREATE INDEX statement_deliveries_account ON statement_deliveries (account_id, sent_at DESC);

-- Statements asked for through the API, sent by the notifier; a refused one (the account or period no longer
-- available) keeps its reason and is not tried again.
CREATE TABLE statement_requests (
    request_id   text PRIMARY KEY,
    account_id   text        NOT NULL,
    period_from  date        NOT NULL,
    period_to    date        NOT NULL,
    addresses    text[]      NOT NULL,
    requested_at timestamptz NOT NULL,
    requested_by text,
    failure      text
);
