-- Statuses beside the row, like labels (0021): a status change can be HOT, and owner changes write
-- one index fewer (issues 13 and 14). `customers_status` made every status change write all the
-- row's indexes (a bare UPDATE of 100,000 statuses at 1M: 5.8-5.9 s with it, 3.1-4.2 s without),
-- and cost 7% of an owner UPDATE (967-974 ms without it against 1,038-1,115 ms for 20,000); it
-- stayed because a rare status (a configured one that 100 customers hold) needs an index to start
-- from (docs/benchmarks.md "Rare statuses and labels"). `customer_status_links (status,
-- customer_id)` is that index now, kept from the `status` column (which stays on the row) by the
-- statement triggers below. `customers_owner_unit` goes too (5% of an owner UPDATE): the unit
-- filter finds a unit's path in the unit directory first (store.selection._unit_path).
--
-- The update trigger of the label links (0021, 0023) becomes the one of both: a trigger with
-- transition tables fires on every UPDATE statement, owner changes included, and its join of the
-- two transition tables is the cost, so one join finds the changed labels and the changed statuses.
-- 0027 fills the links of the rows that exist and drops the two indexes.

CREATE TABLE IF NOT EXISTS customer_status_links (
    status text NOT NULL,
    customer_id uuid NOT NULL,
    PRIMARY KEY (status, customer_id)
);

CREATE OR REPLACE FUNCTION crm_status_links_inserted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    INSERT INTO customer_status_links (status, customer_id)
    SELECT status, id FROM inserted_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

-- The links (statuses[i], ids[i]), each found by its primary key (as crm_label_links_remove).
CREATE OR REPLACE FUNCTION crm_status_links_remove(statuses text[], ids uuid[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM customer_status_links k USING unnest(statuses, ids) g(status, customer_id)
    WHERE k.status = g.status AND k.customer_id = g.customer_id
$$;

CREATE OR REPLACE FUNCTION crm_status_links_deleted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    PERFORM crm_status_links_remove(array_agg(status), array_agg(id)) FROM deleted_rows;
    RETURN NULL;
END $$;

-- Labels and statuses from one join, planned for the rows at hand (EXECUTE: see 0023).
CREATE OR REPLACE FUNCTION crm_customer_links_updated() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    added_labels text[]; added_ids uuid[]; gone_labels text[]; gone_ids uuid[];
    moved_ids uuid[]; statuses_before text[]; statuses_after text[];
BEGIN
    EXECUTE $sql$
        WITH changed AS MATERIALIZED (
            SELECT n.id, o.labels AS before, n.labels AS after, o.status AS was, n.status AS now
            FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.labels <> o.labels OR n.status <> o.status),
        pairs AS (
            SELECT l, c.id, true AS added FROM changed c, unnest(c.after) l WHERE l <> ALL (c.before)
            UNION ALL
            SELECT l, c.id, false FROM changed c, unnest(c.before) l WHERE l <> ALL (c.after))
        SELECT p.*, m.* FROM
            (SELECT array_agg(l) FILTER (WHERE added), array_agg(id) FILTER (WHERE added),
                    array_agg(l) FILTER (WHERE NOT added), array_agg(id) FILTER (WHERE NOT added) FROM pairs) p,
            (SELECT array_agg(id), array_agg(was), array_agg(now) FROM changed WHERE was <> now) m $sql$
    INTO added_labels, added_ids, gone_labels, gone_ids, moved_ids, statuses_before, statuses_after;
    IF added_ids IS NOT NULL THEN
        INSERT INTO customer_label_links (label, customer_id)
        SELECT * FROM unnest(added_labels, added_ids) ON CONFLICT DO NOTHING;
    END IF;
    PERFORM crm_label_links_remove(gone_labels, gone_ids);
    IF moved_ids IS NOT NULL THEN
        PERFORM crm_status_links_remove(statuses_before, moved_ids);
        INSERT INTO customer_status_links (status, customer_id)
        SELECT * FROM unnest(statuses_after, moved_ids) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS customer_status_links_insert ON customers;
CREATE TRIGGER customer_status_links_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_status_links_inserted();
DROP TRIGGER IF EXISTS customer_status_links_delete ON customers;
CREATE TRIGGER customer_status_links_delete AFTER DELETE ON customers
    REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_status_links_deleted();
DROP TRIGGER IF EXISTS customer_label_links_update ON customers;
DROP TRIGGER IF EXISTS customer_links_update ON customers;
CREATE TRIGGER customer_links_update AFTER UPDATE ON customers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION crm_customer_links_updated();
DROP FUNCTION IF EXISTS crm_label_links_updated();

-- The rows written before the triggers, by keyset batches of `batch` ids, each committed (CALLed
-- outside a transaction by 0027). FOR SHARE: a status changed since this batch's snapshot is read
-- as committed and cannot change until the batch commits, so no link of a status left meanwhile
-- stays behind; ON CONFLICT DO NOTHING: the triggers may have written the link first.
CREATE OR REPLACE PROCEDURE crm_status_links_backfill(batch integer DEFAULT 10000) LANGUAGE plpgsql AS $$
DECLARE
    last_id uuid := '00000000-0000-0000-0000-000000000000';
    upto uuid;
BEGIN
    LOOP
        SELECT id INTO upto FROM customers WHERE id > last_id ORDER BY id OFFSET batch - 1 LIMIT 1;
        INSERT INTO customer_status_links (status, customer_id)
        SELECT held.status, held.id FROM (
            SELECT c.id, c.status FROM customers c
            WHERE c.id > last_id AND (upto IS NULL OR c.id <= upto)
            FOR SHARE OF c) held
        ON CONFLICT DO NOTHING;
        COMMIT;
        EXIT WHEN upto IS NULL;
        last_id := upto;
    END LOOP;
END $$;
