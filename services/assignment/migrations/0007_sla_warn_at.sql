-- Speed-to-lead SLA (issue 13, A-6): when the holder is to be warned, stored with the deadline when
-- the clock starts (start + sla_minutes - warn_before_minutes; NULL: no warning), so that the
-- sweeper finds the leads to warn by one index range, like the leads past their deadline, instead
-- of joining every open lead to its job's warn_before_minutes on each pass.
ALTER TABLE assignment_customers ADD COLUMN warn_at timestamptz;
CREATE INDEX assignment_customers_warn_due ON assignment_customers (warn_at)
    WHERE state = 'open' AND contacted_at IS NULL AND warned_at IS NULL AND warn_at IS NOT NULL;
