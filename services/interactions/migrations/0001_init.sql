-- Who may see each customer, kept from the customers service's events (never a synchronous call).
CREATE TABLE customer_access (
    customer_id      uuid PRIMARY KEY,
    owner_id         uuid,
    owner_unit_path  text,
    holder_id        uuid,
    viewer_ids       uuid[] NOT NULL DEFAULT '{}',
    deleted          boolean NOT NULL DEFAULT false,
    version          integer NOT NULL DEFAULT 0
);

CREATE TABLE timeline_entries (
    id               uuid PRIMARY KEY,
    customer_id      uuid NOT NULL,
    type             text NOT NULL,
    occurred_at      timestamptz NOT NULL,
    actor_id         uuid,
    note             text,
    data             jsonb NOT NULL DEFAULT '{}',
    source_event_id  uuid UNIQUE,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX timeline_by_customer ON timeline_entries (customer_id, occurred_at DESC, id DESC);
