-- Appointments and tasks (I-8) and each user's private calendar feed token. An appointment is
-- visible to its assignee, its creator, managers above the assignee's unit (directory_users) and
-- admins; when it names a customer, the caller must also see that customer (customer_access).
CREATE TABLE appointments (
    id           uuid PRIMARY KEY,
    title        text NOT NULL,
    type         text NOT NULL CHECK (type IN ('meeting', 'call', 'task', 'payment_due', 'other')),
    customer_id  uuid,
    assignee_id  uuid NOT NULL,
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz,
    all_day      boolean NOT NULL DEFAULT false,
    location     text,
    note         text,
    status       text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'done', 'cancelled')),
    completed_at timestamptz,
    cancelled_at timestamptz,
    created_by   uuid NOT NULL,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    deleted_at   timestamptz,
    CHECK (ends_at IS NULL OR ends_at >= starts_at)
);
CREATE INDEX appointments_page ON appointments (starts_at, id) WHERE deleted_at IS NULL;
CREATE INDEX appointments_by_assignee ON appointments (assignee_id, starts_at) WHERE deleted_at IS NULL;
CREATE INDEX appointments_by_customer ON appointments (customer_id, starts_at) WHERE deleted_at IS NULL;

-- One feed per user; only the SHA-256 of the token is kept (the URL is shown once).
CREATE TABLE calendar_feeds (
    user_id     uuid PRIMARY KEY,
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);
