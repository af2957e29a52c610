-- Call result sheets (I-2), posted by reps or by a call-centre system (integrator key). A sheet
-- is kept here (listable, filterable) and mirrored as a call_in / call_out / call_missed timeline
-- entry. `source` is who posted it (the rep's or the integrator key's principal id);
-- `external_id` is the call-centre's id of the call, unique per source, so a retried post of the
-- same call answers the stored sheet instead of logging the call twice.
CREATE TABLE calls (
    id                uuid PRIMARY KEY,
    customer_id       uuid NOT NULL,
    direction         text NOT NULL CHECK (direction IN ('in', 'out')),
    outcome           text NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'busy', 'wrong_number',
                                                       'call_back_later', 'voicemail', 'rejected')),
    occurred_at       timestamptz NOT NULL,
    duration_seconds  integer NOT NULL CHECK (duration_seconds BETWEEN 0 AND 86400),
    rating            smallint CHECK (rating BETWEEN 1 AND 5),
    note              text,
    recording_ref     text,
    external_id       text,
    source            uuid NOT NULL,
    actor_id          uuid,
    entry_id          uuid NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX calls_once_per_external_id ON calls (source, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX calls_by_customer ON calls (customer_id, occurred_at DESC, id DESC);

-- Decree 13/2023: a purged customer's call sheets lose their personal data, like the timeline.
CREATE FUNCTION calls_erase_purged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE calls SET note = NULL, recording_ref = NULL, actor_id = NULL WHERE customer_id = NEW.customer_id;
    RETURN NEW;
END $$;
CREATE TRIGGER calls_erase_on_purge AFTER INSERT OR UPDATE OF purged ON customer_access
    FOR EACH ROW WHEN (NEW.purged) EXECUTE FUNCTION calls_erase_purged();
