-- Speed-to-lead SLA (A-6) and the job report (issue 13).
--
-- A job may set an SLA: each lead handed over under it must be contacted by its holder within
-- `sla_minutes` of the rep owning it (a direct assignment: at once; an offer: when accepted); the
-- holder is warned `warn_before_minutes` before the deadline (0: no warning), and a lead still
-- not contacted at the deadline is recalled and redistributed among the job's other reps.
ALTER TABLE jobs
    ADD COLUMN sla_minutes integer CHECK (sla_minutes BETWEEN 1 AND 43200),
    ADD COLUMN warn_before_minutes integer NOT NULL DEFAULT 0 CHECK (warn_before_minutes >= 0),
    ADD CONSTRAINT warn_before_sla CHECK (sla_minutes IS NULL OR warn_before_minutes < sla_minutes);

-- how the assignment's share was chosen (quantities, round_robin, weighted, least_loaded, by_unit,
-- by_province): an SLA redistribution uses the job's last strategy; and, for a redistribution,
-- the assignment whose missed deadline it replaces
ALTER TABLE assignments
    ADD COLUMN strategy text,
    ADD COLUMN redistributed_from uuid REFERENCES assignments (id);
CREATE INDEX assignments_by_job ON assignments (job_id, created_at);

-- per lead: when the rep's clock started and ends, when they were warned, when they first
-- contacted the customer (a call, a care ticket, a note, a comment of theirs), and why the lead
-- left the assignment when it was recalled (`sla_missed`: by the sweeper)
ALTER TABLE assignment_customers
    ADD COLUMN sla_started_at timestamptz,
    ADD COLUMN contact_due_at timestamptz,
    ADD COLUMN warned_at timestamptz,
    ADD COLUMN contacted_at timestamptz,
    ADD COLUMN closed_at timestamptz,
    ADD COLUMN recall_reason text;
-- the sweeper's two queues: leads to warn, leads past their deadline (open, not contacted)
CREATE INDEX assignment_customers_contact_due ON assignment_customers (contact_due_at)
    WHERE state = 'open' AND contacted_at IS NULL AND contact_due_at IS NOT NULL;
