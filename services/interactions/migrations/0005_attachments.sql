-- Attachments (I-5): files on a customer, kept behind a storage interface (a local directory by
-- default) under `storage_key`; visible iff the customer is visible (join on customer_access).
-- Deleting is soft (the file stays); a purge of the customer removes rows and files.
CREATE TABLE attachments (
    id            uuid PRIMARY KEY,
    customer_id   uuid NOT NULL,
    filename      text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    content_type  text NOT NULL,
    size          bigint NOT NULL CHECK (size > 0),
    sha256        text NOT NULL,
    storage_key   text NOT NULL UNIQUE,
    uploaded_by   uuid NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz,
    deleted_by    uuid
);
CREATE INDEX attachments_by_customer ON attachments (customer_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
