-- Identity: the organisation tree, users, refresh-token families and integrator API keys.

CREATE TABLE units (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('company', 'branch', 'department', 'team')),
    parent_id   uuid REFERENCES units (id),
    -- "/<root id>/.../<id>/": a subtree is every path with this prefix
    path        text NOT NULL UNIQUE,
    depth       int  NOT NULL,
    version     int  NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((parent_id IS NULL) = (kind = 'company'))
);
-- one root; sibling names are unique (case-insensitively)
CREATE UNIQUE INDEX units_single_root ON units ((true)) WHERE parent_id IS NULL;
CREATE UNIQUE INDEX units_sibling_name ON units (parent_id, lower(name)) WHERE parent_id IS NOT NULL;
CREATE INDEX units_path_prefix ON units (path text_pattern_ops);
CREATE INDEX units_listing ON units (depth, lower(name), id);

CREATE TABLE users (
    id              uuid PRIMARY KEY,
    username        text NOT NULL,
    full_name       text NOT NULL,
    email           text,
    phone           text,
    unit_id         uuid NOT NULL REFERENCES units (id),
    roles           text[] NOT NULL DEFAULT '{}',
    active          boolean NOT NULL DEFAULT true,
    kind            text NOT NULL DEFAULT 'user' CHECK (kind IN ('user', 'service')),
    password_hash   text,
    failed_logins   int NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    version         int NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deactivated_at  timestamptz
);
CREATE UNIQUE INDEX users_username_ci ON users (lower(username));
CREATE INDEX users_unit ON users (unit_id);
CREATE INDEX users_roles ON users USING gin (roles);

CREATE TABLE refresh_tokens (
    id           uuid PRIMARY KEY,
    family_id    uuid NOT NULL,
    user_id      uuid NOT NULL REFERENCES users (id),
    token_hash   bytea NOT NULL UNIQUE,  -- sha256 of the opaque token
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    rotated_at   timestamptz,            -- set when exchanged for a newer token of the family
    revoked_at   timestamptz,            -- logout, reuse detection, deactivation
    user_agent   text,
    ip           text
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_live ON refresh_tokens (user_id) WHERE revoked_at IS NULL;
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);

CREATE TABLE api_keys (
    id                     uuid PRIMARY KEY,
    name                   text NOT NULL,
    prefix                 text NOT NULL,          -- shown in listings to recognise a key
    secret_hash            bytea NOT NULL UNIQUE,  -- sha256 of the whole key
    user_id                uuid NOT NULL REFERENCES users (id),
    permissions            text[] NOT NULL DEFAULT '{}',
    rate_limit_per_minute  int,
    created_by             uuid REFERENCES users (id),
    created_at             timestamptz NOT NULL DEFAULT now(),
    last_used_at           timestamptz,
    revoked_at             timestamptz
);
CREATE INDEX api_keys_listing ON api_keys (created_at DESC, id DESC);
CREATE INDEX api_keys_user ON api_keys (user_id);
