-- Writes that touch one column can be HOT (issue 14, docs/benchmarks.md "Writes that touch one
-- column" and "Labels in their own table"). PostgreSQL 15 writes a new entry in every index of a row
-- when any indexed column changes: a bulk label of 100,000 customers wrote all 16 indexes of each
-- row, because `labels` (GIN) and `updated_at` (the organisation-wide sort's B-tree) are indexed.
--
-- 1. The labels a filter reads come from `customer_label_links`, one row per (label, customer),
--    kept by the statement triggers below from the `labels` array, which stays on the row (reads,
--    events and exports are unchanged). Every path that writes `labels` (create, edit, bulk, import)
--    is covered without touching it. 0022 fills the links of the rows that exist, then drops the
--    labels GIN and the `updated_at` index.
-- 2. Room on every page for the row's next version: a HOT update needs it on the same page. At 80,
--    99% of a bulk label's updates were HOT against 83% at 90 (the 1M benchmark). A catalog change:
--    pages written from now on keep the room; packed pages get it as their rows move (or at once by
--    pg_repack, which holds its lock only for the swap).
--
-- No foreign key: a per-row referential check would cost more than the links themselves; no
-- `customers` row is deleted without its links (the delete trigger), and a link outlives no label
-- key (keys are immutable, a label in use cannot be deleted).

CREATE TABLE IF NOT EXISTS customer_label_links (
    label text NOT NULL,
    customer_id uuid NOT NULL,
    PRIMARY KEY (label, customer_id)
);

ALTER TABLE customers SET (fillfactor = 80);

CREATE OR REPLACE FUNCTION crm_label_links_inserted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    INSERT INTO customer_label_links (label, customer_id)
    SELECT DISTINCT l, n.id FROM inserted_rows n, unnest(n.labels) l WHERE n.labels <> '{}'
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

-- Every UPDATE statement of `customers` fires this (a trigger with transition tables cannot name
-- its columns): an owner change of 100,000 rows pays for the join of the two transition tables,
-- which finds no changed labels. The pairs go through arrays so that the DELETE probes the primary
-- key pair by pair: the planner cannot estimate the transition tables' join, took 5,000 changed
-- rows for 124,000 and read the whole link table to delete five thousand links. No JIT: the same
-- misestimate priced the statement high enough to compile it (30 ms for each chunk).
CREATE OR REPLACE FUNCTION crm_label_links_updated() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    added_labels text[]; added_ids uuid[]; gone_labels text[]; gone_ids uuid[];
BEGIN
    WITH changed AS (
        SELECT n.id, o.labels AS before, n.labels AS after
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.labels <> o.labels),
    pairs AS (
        SELECT l, c.id, true AS added FROM changed c, unnest(c.after) l WHERE l <> ALL (c.before)
        UNION ALL
        SELECT l, c.id, false FROM changed c, unnest(c.before) l WHERE l <> ALL (c.after))
    SELECT array_agg(l) FILTER (WHERE added), array_agg(id) FILTER (WHERE added),
           array_agg(l) FILTER (WHERE NOT added), array_agg(id) FILTER (WHERE NOT added)
    INTO added_labels, added_ids, gone_labels, gone_ids
    FROM pairs;
    IF added_ids IS NOT NULL THEN
        INSERT INTO customer_label_links (label, customer_id)
        SELECT * FROM unnest(added_labels, added_ids) ON CONFLICT DO NOTHING;
    END IF;
    IF gone_ids IS NOT NULL THEN
        DELETE FROM customer_label_links k USING unnest(gone_labels, gone_ids) g(label, customer_id)
        WHERE k.label = g.label AND k.customer_id = g.customer_id;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION crm_label_links_deleted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    DELETE FROM customer_label_links k USING deleted_rows d, unnest(d.labels) l
    WHERE k.label = l AND k.customer_id = d.id;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS customer_label_links_insert ON customers;
CREATE TRIGGER customer_label_links_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_label_links_inserted();
DROP TRIGGER IF EXISTS customer_label_links_update ON customers;
CREATE TRIGGER customer_label_links_update AFTER UPDATE ON customers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION crm_label_links_updated();
DROP TRIGGER IF EXISTS customer_label_links_delete ON customers;
CREATE TRIGGER customer_label_links_delete AFTER DELETE ON customers
    REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_label_links_deleted();

-- The rows written before the triggers, by keyset batches of `batch` ids, each committed (CALLed
-- outside a transaction by 0022). FOR SHARE: a row changed since this batch's snapshot is read as
-- committed, and its labels cannot change until the batch commits, so no link of a label removed
-- meanwhile is left behind. ON CONFLICT DO NOTHING: the triggers may have written a link first.
CREATE OR REPLACE PROCEDURE crm_label_links_backfill(batch integer DEFAULT 10000) LANGUAGE plpgsql AS $$
DECLARE
    last_id uuid := '00000000-0000-0000-0000-000000000000';
    upto uuid;
BEGIN
    LOOP
        SELECT id INTO upto FROM customers WHERE id > last_id ORDER BY id OFFSET batch - 1 LIMIT 1;
        INSERT INTO customer_label_links (label, customer_id)
        SELECT DISTINCT l, held.id FROM (
            SELECT c.id, c.labels FROM customers c
            WHERE c.id > last_id AND (upto IS NULL OR c.id <= upto) AND c.labels <> '{}'
            FOR SHARE OF c) held, unnest(held.labels) l
        ON CONFLICT DO NOTHING;
        COMMIT;
        EXIT WHEN upto IS NULL;
        last_id := upto;
    END LOOP;
END $$;
