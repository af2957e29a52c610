-- Care tickets (I-6) and support tickets (I-7). A ticket is visible iff its customer is visible
-- (join on customer_access). `search_text` holds the searchable text folded in Python (lower
-- case, no diacritics: "Đã gọi" -> "da goi"), so search needs no database extension.
CREATE TABLE care_tickets (
    id            uuid PRIMARY KEY,
    customer_id   uuid NOT NULL,
    method        text NOT NULL CHECK (method IN ('call', 'meeting', 'email', 'sms', 'zalo')),
    planned_at    timestamptz NOT NULL,
    assignee_id   uuid NOT NULL,
    note          text,
    result        text,
    cancel_reason text,
    status        text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'done', 'cancelled')),
    completed_at  timestamptz,
    cancelled_at  timestamptz,
    search_text   text NOT NULL DEFAULT '',
    created_by    uuid NOT NULL,
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz
);
CREATE INDEX care_tickets_page ON care_tickets (planned_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX care_tickets_by_customer ON care_tickets (customer_id, planned_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX care_tickets_by_assignee ON care_tickets (assignee_id, planned_at DESC) WHERE deleted_at IS NULL;

CREATE TABLE support_tickets (
    id                   uuid PRIMARY KEY,
    customer_id          uuid NOT NULL,
    channel              text,
    handling_unit_id     uuid,
    assignee_id          uuid,
    title                text NOT NULL,
    content              text,
    handling_process     text,
    response_to_customer text,
    customer_feedback    text,
    contact_name         text,
    contact_details      text,
    status               text NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'processing', 'done', 'cancelled')),
    search_text          text NOT NULL DEFAULT '',
    created_by           uuid NOT NULL,
    version              integer NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    deleted_at           timestamptz
);
CREATE INDEX support_tickets_page ON support_tickets (created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX support_tickets_by_customer ON support_tickets (customer_id, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX support_tickets_by_assignee ON support_tickets (assignee_id, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX support_tickets_by_unit ON support_tickets (handling_unit_id, created_at DESC) WHERE deleted_at IS NULL;
