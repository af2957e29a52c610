-- Login back-off per (username, client address) instead of a lock of the whole account, and the
-- login audit (issue 8).
ALTER TABLE users DROP COLUMN failed_logins, DROP COLUMN locked_until;

-- Consecutive failed logins of one username (lower-cased, known or not: unknown usernames answer
-- alike) from one client (an IPv4 address or an IPv6 /64). Rows idle for
-- CRM_GATEWAY_LOGIN_FAILURES_FORGET_SECONDS are purged; the purge also keeps at most
-- CRM_GATEWAY_LOGIN_FAILURES_MAX_ROWS (the most recent).
CREATE TABLE login_failures (
    username         text NOT NULL,
    client           text NOT NULL,
    failures         int  NOT NULL,
    blocked_until    timestamptz,
    last_failure_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (username, client)
);
CREATE INDEX login_failures_last ON login_failures (last_failure_at);

-- Every login attempt; kept CRM_GATEWAY_LOGIN_AUDIT_RETENTION_DAYS, at most
-- CRM_GATEWAY_LOGIN_AUDIT_MAX_ROWS rows.
CREATE TABLE login_audit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    username    text NOT NULL,  -- as typed
    user_id     uuid,           -- null: no such user
    client      text NOT NULL,  -- the client's address (behind trusted proxies: the forwarded one)
    user_agent  text,
    outcome     text NOT NULL
        CHECK (outcome IN ('success', 'wrong_password', 'unknown_user', 'inactive', 'no_password', 'blocked'))
);
CREATE INDEX login_audit_user ON login_audit (user_id, id) WHERE user_id IS NOT NULL;
CREATE INDEX login_audit_username ON login_audit (lower(username), id);
CREATE INDEX login_audit_at ON login_audit (at);
