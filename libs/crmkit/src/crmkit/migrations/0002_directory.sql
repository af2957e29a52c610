-- The user directory every service keeps from identity events (crm.identity): who exists, in
-- which unit (with the unit's path for subtree checks), with which roles, and whether active.
CREATE TABLE IF NOT EXISTS directory_users (
    id          uuid PRIMARY KEY,
    username    text NOT NULL,
    full_name   text NOT NULL DEFAULT '',
    unit_id     uuid,
    unit_path   text,
    roles       text[] NOT NULL DEFAULT '{}',
    active      boolean NOT NULL DEFAULT true,
    changed_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS directory_users_username ON directory_users (lower(username));
CREATE INDEX IF NOT EXISTS directory_users_unit_path ON directory_users (unit_path text_pattern_ops);
