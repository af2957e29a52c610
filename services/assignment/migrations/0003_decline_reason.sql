-- Why the rep declined an offer (optional; carried by the assignment.declined event to the
-- assigner's notification).
ALTER TABLE assignments ADD COLUMN decline_reason text CHECK (length(decline_reason) <= 500);
