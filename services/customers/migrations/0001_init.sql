CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE customers (
    id               uuid PRIMARY KEY,
    name             text NOT NULL,
    phone            text NOT NULL,
    email            text,
    lifecycle        text NOT NULL DEFAULT 'lead' CHECK (lifecycle IN ('lead', 'customer')),
    party_type       text NOT NULL DEFAULT 'individual' CHECK (party_type IN ('individual', 'organization')),
    status           text NOT NULL DEFAULT 'new',
    owner_id         uuid,
    owner_unit_id    uuid,
    owner_unit_path  text,
    created_by       uuid,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    deleted_at       timestamptz
);
CREATE UNIQUE INDEX customers_phone_key ON customers (phone);
CREATE INDEX customers_owner ON customers (owner_id, created_at DESC, id DESC);
CREATE INDEX customers_unit_path ON customers (owner_unit_path text_pattern_ops);
