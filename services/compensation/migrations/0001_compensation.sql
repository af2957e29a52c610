-- Compensation (P-1 … P-6): lead packages, their leads, requests for compensation ("yêu cầu bù"),
-- review batches ("gửi xét duyệt"), decisions and the replacement-credit ledger.

-- What this service knows of each customer, from the customers service's events: who works it
-- (the owner may ask for compensation), its name and phone (the reviewer's evidence; the
-- `duplicate` auto-rule compares phones), deleted and purged (C-10). Newer versions win.
CREATE TABLE customer_refs (
    customer_id     uuid PRIMARY KEY,
    owner_id        uuid,
    owner_unit_path text,
    full_name       text,
    phone           text,
    deleted         boolean NOT NULL DEFAULT false,
    purged          boolean NOT NULL DEFAULT false,
    version         integer NOT NULL
);
CREATE INDEX customer_refs_phone ON customer_refs (phone) WHERE phone IS NOT NULL;

-- Call attempts counted from the timeline (P-2), never typed in by the requester: one row per
-- `call.logged` (id = the call's id) and per call entry recorded without a call sheet (id = the
-- entry's id; outcome unknown). A redelivered event hits the primary key.
CREATE TABLE calls (
    id          uuid PRIMARY KEY,
    customer_id uuid NOT NULL,
    direction   text NOT NULL,
    outcome     text,
    occurred_at timestamptz NOT NULL,
    actor_id    uuid
);
CREATE INDEX calls_by_customer ON calls (customer_id, occurred_at);

-- The reasons' catalogue, editable by admins; `counts_calls`: the package policy's minimum of
-- recorded call attempts applies to requests with this reason.
CREATE TABLE reasons (
    code          text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,49}$'),
    name_vi       text NOT NULL CHECK (length(name_vi) BETWEEN 1 AND 200),
    name_en       text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    counts_calls  boolean NOT NULL DEFAULT false,
    active        boolean NOT NULL DEFAULT true,
    position      integer NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO reasons (code, name_vi, name_en, counts_calls, position) VALUES
    ('wrong_number', 'Sai số điện thoại', 'Wrong number', true, 1),
    ('unreachable', 'Không liên lạc được', 'Unreachable', true, 2),
    ('duplicate', 'Trùng khách hàng', 'Duplicate lead', false, 3),
    ('fake_information', 'Thông tin giả', 'Fake information', false, 4),
    ('out_of_service_area', 'Ngoài khu vực phục vụ', 'Out of service area', false, 5);

-- The organisation's units (id → path), from the gateway's `unit.created` / `unit.updated` on
-- crm.identity: the path of a package owned by a unit the caller is not a member of, kept
-- current when the unit moves.
CREATE TABLE units (
    id         uuid PRIMARY KEY,
    path       text NOT NULL,
    changed_at timestamptz NOT NULL
);

-- P-1: a package of purchased leads ("gói tài khoản"), owned by a rep (owner_id) or a unit
-- (owner_unit_id); owner_unit_path is the owning unit's path either way (the rep's unit), so that
-- managers see their subtree's packages with one byte-range condition, as customers do.
CREATE TABLE lead_packages (
    id                uuid PRIMARY KEY,
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    provider          text NOT NULL CHECK (length(provider) BETWEEN 1 AND 200),
    owner_id          uuid,
    owner_unit_id     uuid,
    owner_unit_path   text NOT NULL,
    purchased_at      timestamptz NOT NULL,
    reasons           text[] NOT NULL,
    window_days       integer NOT NULL CHECK (window_days BETWEEN 1 AND 3650),
    max_share         numeric(5, 4) NOT NULL CHECK (max_share > 0 AND max_share <= 1),
    min_call_attempts integer NOT NULL CHECK (min_call_attempts BETWEEN 0 AND 100),
    created_by        uuid NOT NULL,
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((owner_id IS NULL) <> (owner_unit_id IS NULL))
);
CREATE INDEX lead_packages_page ON lead_packages (created_at DESC, id DESC);
CREATE INDEX lead_packages_by_owner ON lead_packages (owner_id) WHERE owner_id IS NOT NULL;
CREATE INDEX lead_packages_by_unit_path ON lead_packages (owner_unit_path text_pattern_ops);
CREATE INDEX lead_packages_by_provider ON lead_packages (provider);

-- The leads of a package, each with its delivery date (the window counts from it). `job_id`: the
-- import that delivered it, if any.
CREATE TABLE package_leads (
    package_id   uuid NOT NULL REFERENCES lead_packages (id),
    customer_id  uuid NOT NULL,
    delivered_at timestamptz NOT NULL,
    added_by     uuid,
    job_id       uuid,
    added_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (package_id, customer_id)
);
CREATE INDEX package_leads_by_customer ON package_leads (customer_id, delivered_at DESC);
CREATE INDEX package_leads_page ON package_leads (package_id, delivered_at DESC, customer_id);

-- P-4: a package's drafts sent for review together.
CREATE TABLE batches (
    id           uuid PRIMARY KEY,
    package_id   uuid NOT NULL REFERENCES lead_packages (id),
    status       text NOT NULL CHECK (status IN ('submitted', 'in_review', 'completed')),
    submitted_by uuid NOT NULL,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    requests     integer NOT NULL,
    approved     integer NOT NULL DEFAULT 0,
    rejected     integer NOT NULL DEFAULT 0,
    completed_at timestamptz
);
CREATE INDEX batches_queue ON batches (submitted_at, id) WHERE status <> 'completed';
CREATE INDEX batches_by_package ON batches (package_id, submitted_at DESC);

-- P-2 … P-5: a request for compensation of one lead. One live request per lead of a package
-- (a withdrawn draft frees it): concurrent requests for one customer yield one draft, and no
-- customer is compensated twice in a package. `evidence`: the snapshot taken at creation (calls
-- counted, delivery, window, customer's name and phone: erased when the customer is purged).
-- `flag`: the abuse guard's comparison when the requester's rate is far above peers'.
CREATE TABLE requests (
    id            uuid PRIMARY KEY,
    package_id    uuid NOT NULL REFERENCES lead_packages (id),
    customer_id   uuid NOT NULL,
    requester_id  uuid NOT NULL,
    reason_code   text NOT NULL REFERENCES reasons (code),
    reason_text   text CHECK (length(reason_text) <= 2000),
    status        text NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'withdrawn')),
    evidence      jsonb NOT NULL,
    batch_id      uuid REFERENCES batches (id),
    decided_by    uuid,
    decided_at    timestamptz,
    decision_note text CHECK (length(decision_note) <= 2000),
    auto_rule_id  uuid,
    flag          jsonb,
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX requests_one_live_per_lead ON requests (package_id, customer_id) WHERE status <> 'withdrawn';
CREATE INDEX requests_by_package ON requests (package_id, status, created_at DESC, id DESC);
CREATE INDEX requests_by_requester ON requests (requester_id, created_at DESC, id DESC);
CREATE INDEX requests_by_batch ON requests (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX requests_by_customer ON requests (customer_id);

-- P-6: every transition of a request, with who, when and the note; `auto_rule_id` when a rule
-- decided.
CREATE TABLE request_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id   uuid NOT NULL REFERENCES requests (id),
    action       text NOT NULL,
    from_status  text,
    to_status    text NOT NULL,
    actor_id     uuid,
    note         text,
    auto_rule_id uuid,
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX request_history_by_request ON request_history (request_id, id);

-- P-5: one replacement credit per approved request, in the package's ledger.
CREATE TABLE credits (
    id          uuid PRIMARY KEY,
    package_id  uuid NOT NULL REFERENCES lead_packages (id),
    request_id  uuid NOT NULL UNIQUE REFERENCES requests (id),
    customer_id uuid NOT NULL,
    amount      integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credits_by_package ON credits (package_id, created_at DESC);

-- P-4: the first confirmation ("review-submission") issues a short-lived token naming the drafts
-- it showed (a digest of their ids and versions); the second must present it unchanged.
CREATE TABLE submission_tokens (
    token        text PRIMARY KEY,
    package_id   uuid NOT NULL REFERENCES lead_packages (id),
    user_id      uuid NOT NULL,
    drafts_digest text NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);

-- Beyond the anchors: automatic decisions at submission, by rules an admin configures.
-- kind `min_calls_with_outcome`: params {min_calls, outcome}; kind `duplicate_of_provider_lead`:
-- the lead's phone (or customer) is a lead of an older package of the same provider.
CREATE TABLE auto_rules (
    id          uuid PRIMARY KEY,
    reason_code text NOT NULL REFERENCES reasons (code),
    kind        text NOT NULL CHECK (kind IN ('min_calls_with_outcome', 'duplicate_of_provider_lead')),
    params      jsonb NOT NULL DEFAULT '{}',
    decision    text NOT NULL DEFAULT 'approved' CHECK (decision IN ('approved', 'rejected')),
    active      boolean NOT NULL DEFAULT true,
    position    integer NOT NULL DEFAULT 0,
    created_by  uuid,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Settings of the service an admin changes (one row): the abuse guard's multiple of the peers'
-- median request rate, and the review SLA.
CREATE TABLE settings (
    id                   boolean PRIMARY KEY DEFAULT true CHECK (id),
    abuse_multiple       numeric(6, 2) NOT NULL DEFAULT 3 CHECK (abuse_multiple >= 1),
    abuse_min_requests   integer NOT NULL DEFAULT 5 CHECK (abuse_min_requests >= 1),
    review_sla_hours     integer NOT NULL DEFAULT 48 CHECK (review_sla_hours BETWEEN 1 AND 8760),
    version              integer NOT NULL DEFAULT 1,
    updated_at           timestamptz NOT NULL DEFAULT now()
);
INSERT INTO settings DEFAULT VALUES;
