-- Batch events of the customers service make one entry per customer from a single event, so the
-- once-per-event guard becomes once per (event, customer). Purged customers are remembered so
-- that a late event cannot bring their personal data back.
ALTER TABLE timeline_entries DROP CONSTRAINT timeline_entries_source_event_id_key;
CREATE UNIQUE INDEX timeline_entries_once_per_event ON timeline_entries (source_event_id, customer_id);
ALTER TABLE customer_access ADD COLUMN purged boolean NOT NULL DEFAULT false;
