-- Sign-in. Written by the API itself: users and sessions are not billing data, no topic carries them.

CREATE TABLE users (
    user_id        text PRIMARY KEY,
    email          text        NOT NULL UNIQUE,
    password_hash  text        NOT NULL,
    role           text        NOT NULL CHECK (role IN ('ACCOUNT_ADMIN', 'BILLING_VIEWER', 'AGENCY_ADMIN')),
    account_id     text        NOT NULL,
    failed_logins  integer     NOT NULL DEFAULT 0,
    locked_until   timestamptz
);

-- Only a hash of the session cookie and of an API token is stored: a copy of the table signs nobody in.
CREATE TABLE sessions (
    session_hash text PRIMARY KEY,
    user_id      text        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    csrf_token   text        NOT NULL,
    expires_at   timestamptz NOT NULL
);

CREATE TABLE api_tokens (
    token_hash text PRIMARY KEY,
    user_id    text        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL
);
