-- Bulk actions, soft delete / restore / purge (C-10) and export jobs (C-13).
--
-- Soft delete: `deleted_at` (already in 0001) and `deleted_by`. A deleted customer is invisible to
-- every read (store.customers.visible_sql), keeps its phone (a new customer with that phone is
-- still `phone_exists`) and can be restored by an admin for `deleted_retention_days` (30).
-- Purge (Decree 13/2023): the row stays as a tombstone `{id, deleted_at, purged_at, version}` so
-- that ids stay unique, referrals (`referred_by` of other customers) stay valid and events about it
-- make sense; every personal field is nulled, so `name` and `phone` may be NULL on a tombstone.

ALTER TABLE customers
    ADD COLUMN deleted_by  uuid,
    ADD COLUMN purged_at   timestamptz,
    ALTER COLUMN name DROP NOT NULL,
    ALTER COLUMN phone DROP NOT NULL,
    ADD CONSTRAINT customers_tombstone_check
        CHECK (purged_at IS NOT NULL OR (name IS NOT NULL AND phone IS NOT NULL)),
    ADD CONSTRAINT customers_purged_deleted_check
        CHECK (purged_at IS NULL OR deleted_at IS NOT NULL);

-- The automatic purge: deleted, not yet purged, oldest first.
CREATE INDEX customers_deleted_pending ON customers (deleted_at) WHERE deleted_at IS NOT NULL AND purged_at IS NULL;

-- Export jobs, run by the service's worker (FOR UPDATE SKIP LOCKED); a running job whose worker
-- stopped heart-beating is queued again.
CREATE TABLE customer_exports (
    id            uuid PRIMARY KEY,
    created_by    uuid NOT NULL,
    principal     jsonb NOT NULL,           -- the caller's reach when the job was created
    language      text NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
    format        text NOT NULL CHECK (format IN ('csv', 'xlsx')),
    filter        jsonb NOT NULL DEFAULT '{}',
    columns       text[] NOT NULL,
    status        text NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'running', 'done', 'failed', 'expired')),
    row_count     bigint NOT NULL DEFAULT 0,
    file_path     text,
    file_name     text,
    file_size     bigint,
    error         text,
    attempts      integer NOT NULL DEFAULT 0,
    worker        text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    heartbeat_at  timestamptz,
    finished_at   timestamptz
);
CREATE INDEX customer_exports_queued ON customer_exports (created_at) WHERE status = 'queued';
CREATE INDEX customer_exports_running ON customer_exports (heartbeat_at) WHERE status = 'running';
CREATE INDEX customer_exports_creator ON customer_exports (created_by, created_at DESC);
CREATE INDEX customer_exports_files ON customer_exports (finished_at) WHERE file_path IS NOT NULL;
