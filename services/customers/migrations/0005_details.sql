-- Saved views per user (C-8) and the local read model of counts fed by the interactions
-- service's events (C-14). (Attribute values are indexed for every key by the jsonb_path_ops GIN
-- index `customers_attributes` of 0003.)

-- The filter and display configuration of each user (C-8); absent = the default view.
CREATE TABLE customer_views (
    user_id     uuid PRIMARY KEY,
    view        jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Counts shown on a customer's detail (C-14), kept from events on crm.interactions.
CREATE TABLE customer_counts (
    customer_id           uuid PRIMARY KEY,
    timeline              integer NOT NULL DEFAULT 0 CHECK (timeline >= 0),
    care_tickets          integer NOT NULL DEFAULT 0 CHECK (care_tickets >= 0),
    open_support_tickets  integer NOT NULL DEFAULT 0 CHECK (open_support_tickets >= 0),
    attachments           integer NOT NULL DEFAULT 0 CHECK (attachments >= 0),
    comments              integer NOT NULL DEFAULT 0 CHECK (comments >= 0),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

-- The items behind the counts that can be deleted or change state (tickets, attachments,
-- comments): a delete or status change counts only for an item that was counted, once, whatever
-- the event ids; `open` is a support ticket's pending/processing state.
CREATE TABLE customer_count_items (
    kind         text NOT NULL CHECK (kind IN ('care_ticket', 'support_ticket', 'attachment', 'comment')),
    item_id      uuid NOT NULL,
    customer_id  uuid NOT NULL,
    open         boolean NOT NULL DEFAULT false,
    deleted      boolean NOT NULL DEFAULT false,
    changed_at   timestamptz NOT NULL,  -- occurred_at of the last event applied: older ones are stale
    PRIMARY KEY (kind, item_id)
);
