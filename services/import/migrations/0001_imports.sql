-- Imports (M-1 … M-6): uploaded files, jobs, the chunks a job sent to the customers service and
-- the rows that failed. The files themselves are on disk (settings.storage_dir).

CREATE TABLE uploads (
    id          uuid PRIMARY KEY,
    created_by  uuid NOT NULL,
    filename    text NOT NULL,
    size_bytes  bigint NOT NULL,
    format      text NOT NULL CHECK (format IN ('xlsx', 'xls', 'ods', 'csv')),
    encoding    text,
    delimiter   text,                      -- csv
    sha256      text NOT NULL,
    sheets      jsonb NOT NULL,
    path        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A job's `fingerprint` (file sha256 + sheet + start row + mapping + target + importer + dry run):
-- posting the same again returns the existing job (M-6) unless that one failed or was cancelled.
CREATE TABLE jobs (
    id               uuid PRIMARY KEY,
    upload_id        uuid NOT NULL REFERENCES uploads (id),
    created_by       uuid NOT NULL,
    unit_path        text,                      -- the importer's unit: managers see their subtree's jobs
    language         text NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
    fingerprint      text NOT NULL,
    sheet            int NOT NULL,
    start_row        int NOT NULL,
    fields           text[] NOT NULL,           -- mapped fields, in the order of `columns`
    columns          int[] NOT NULL,            -- 1-based column of each field
    template         boolean NOT NULL DEFAULT false,
    dry_run          boolean NOT NULL DEFAULT false,
    group_id         uuid,
    new_group        jsonb,                     -- {name, description}: created by the first chunk
    lead_package_id  uuid,
    owner_id         uuid,
    status           text NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    cancel_requested boolean NOT NULL DEFAULT false,
    total_rows       int,                       -- known once the file is read to its end
    read_rows        int NOT NULL DEFAULT 0,    -- data rows read (sent, failed or duplicate)
    next_row         int,                       -- the sheet row the worker reads next (resume point)
    chunks_sent      int NOT NULL DEFAULT 0,
    file_done        boolean NOT NULL DEFAULT false,
    processed_rows   int NOT NULL DEFAULT 0,    -- rows with an outcome: answered, failed here or duplicate
    created          int NOT NULL DEFAULT 0,
    updated          int NOT NULL DEFAULT 0,
    failed           int NOT NULL DEFAULT 0,
    duplicates_in_file int NOT NULL DEFAULT 0,
    legacy_text      int NOT NULL DEFAULT 0,    -- cells converted from TCVN3 / VNI
    worker           text,
    heartbeat_at     timestamptz,
    attempts         int NOT NULL DEFAULT 0,
    error            text,
    result_path      text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz
);
CREATE UNIQUE INDEX jobs_fingerprint_live ON jobs (fingerprint) WHERE status NOT IN ('failed', 'cancelled');
CREATE INDEX jobs_queued ON jobs (created_at) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_created_by ON jobs (created_by, created_at DESC);
CREATE INDEX jobs_unit_path ON jobs (unit_path text_pattern_ops, created_at DESC);

CREATE TABLE job_chunks (
    job_id      uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    chunk_no    int NOT NULL,
    first_row   int NOT NULL,
    last_row    int NOT NULL,
    rows        int NOT NULL,
    sent_at     timestamptz NOT NULL DEFAULT now(),
    applied_at  timestamptz,
    created     int NOT NULL DEFAULT 0,
    updated     int NOT NULL DEFAULT 0,
    failed      int NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, chunk_no)
);

-- One line per failing cell (field NULL: the row as a whole, e.g. duplicate_in_file).
CREATE TABLE job_failures (
    job_id  uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    row     int NOT NULL,
    field   text,
    code    text NOT NULL
);
CREATE INDEX job_failures_job_row ON job_failures (job_id, row);

-- What the import needs to know of the customers service's configuration, kept from its events:
-- attributes (mapping by key, the template's columns and drop-downs), statuses and groups.
CREATE TABLE attributes (
    key      text PRIMARY KEY,
    name     text NOT NULL,
    type     text NOT NULL,
    options  jsonb NOT NULL DEFAULT '[]',
    required boolean NOT NULL DEFAULT false,
    display_order int NOT NULL DEFAULT 0
);
CREATE TABLE config_items (
    kind    text NOT NULL CHECK (kind IN ('status', 'label', 'group')),
    id      text NOT NULL,                       -- a status's or label's key, a group's id
    name    text NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    PRIMARY KEY (kind, id)
);
