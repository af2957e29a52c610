-- Batch ingest (1M `imported` entries): the check "not a purged customer" probes this small
-- partial index instead of the whole visibility model.
CREATE INDEX customer_access_purged ON customer_access (customer_id) WHERE purged;

-- A second guard against applying one event twice, on top of the inbox (which already skips a
-- redelivered event in the same transaction as its effect): it cost a quarter of the index work
-- of a batch ingest. `source_event_id` stays, to trace an entry back to its event.
DROP INDEX timeline_entries_once_per_event;
