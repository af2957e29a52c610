-- Assignment (A-1 … A-5, A-7).
--
-- customer_refs: what this service knows of each customer, from the customers service's events
-- (owner, unit path, holder, deleted), to check that the caller may assign a customer and to
-- remember whom a recall gives it back to. Newer versions win.
CREATE TABLE customer_refs (
    customer_id     uuid PRIMARY KEY,
    owner_id        uuid,
    owner_unit_path text,
    holder_id       uuid,
    deleted         boolean NOT NULL DEFAULT false,
    version         integer NOT NULL
);

-- A-1: a rep's weight and capacity (maximum open leads); reps themselves come from the user
-- directory (crmkit's directory_users, from identity events).
CREATE TABLE roster_settings (
    user_id    uuid PRIMARY KEY,
    weight     integer NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 100),
    capacity   integer CHECK (capacity BETWEEN 1 AND 1000000),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A-2: jobs ("công việc"): content and type required, target optional.
CREATE TABLE jobs (
    id         uuid PRIMARY KEY,
    content    text NOT NULL CHECK (length(content) BETWEEN 1 AND 2000),
    type       text NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
    target     text CHECK (length(target) <= 2000),
    created_by uuid NOT NULL,
    unit_path  text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_page ON jobs (created_at DESC, id DESC);

-- A-3/A-4: one assignment per rep and distribution; `direct` ones are accepted at once, others
-- wait for the rep until `expires_at`.
CREATE TABLE assignments (
    id           uuid PRIMARY KEY,
    job_id       uuid NOT NULL REFERENCES jobs (id),
    assignee_id  uuid NOT NULL,
    assigned_by  uuid NOT NULL,
    text         text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    direct       boolean NOT NULL,
    status       text NOT NULL CHECK (status IN ('offered', 'accepted', 'declined', 'expired')),
    expires_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    decided_at   timestamptz
);
CREATE INDEX assignments_by_assignee ON assignments (assignee_id, created_at DESC);
CREATE INDEX assignments_by_assigner ON assignments (assigned_by, created_at DESC);
CREATE INDEX assignments_offers_due ON assignments (expires_at) WHERE status = 'offered';

-- The customers of an assignment; `open` while the rep holds or owns them through it. A-7: one
-- open assignment per customer, enforced by the database (concurrent distributions of the same
-- customer: one wins, the other fails on this index).
CREATE TABLE assignment_customers (
    assignment_id     uuid NOT NULL REFERENCES assignments (id),
    customer_id       uuid NOT NULL,
    previous_owner_id uuid,
    state             text NOT NULL CHECK (state IN ('open', 'returned', 'recalled')),
    PRIMARY KEY (assignment_id, customer_id)
);
CREATE UNIQUE INDEX one_open_assignment_per_customer ON assignment_customers (customer_id) WHERE state = 'open';
CREATE INDEX assignment_customers_open_by_assignment ON assignment_customers (assignment_id) WHERE state = 'open';

-- Round-robin continues where the last distribution of the same job stopped (A-3).
CREATE TABLE round_robin_positions (
    job_id    uuid PRIMARY KEY REFERENCES jobs (id),
    last_user uuid NOT NULL
);
