-- The name sort's index in a narrow table of its own (issues 13 and 14: owner changes). An owner,
-- holder or status change is never HOT (those columns are indexed), so PostgreSQL writes a new
-- entry in every index of the row, and the entry in `customers_live_name` — an ICU collation,
-- ~20 string comparisons of the Vietnamese rules for each insert — was the dearest: 22% of an owner
-- UPDATE of 20,000 customers at 1M (806-814 ms without it against 1,038-1,115 ms; the status
-- B-tree 7%, `customers_owner_unit` 5%; docs/benchmarks.md "The name sort and the status aside").
--
-- `customer_names` holds each customer's name, written only when a name is (insert, a change of
-- the name, delete), so that owner, holder, status and label changes never touch the sort index.
-- `sort=name` lists join it (store.paging.page): the plan walks its index and fetches each customer
-- by primary key, or starts from the caller's own customers and sorts, as before. A customer whose
-- name is NULL (a purged tombstone) has no row.
--
-- This file: the table and the triggers. 0025 fills the rows that exist by committed batches,
-- builds the sort index CONCURRENTLY and drops `customers_live_name`.

CREATE TABLE IF NOT EXISTS customer_names (
    customer_id uuid PRIMARY KEY,
    name text COLLATE "vi-x-icu" NOT NULL
);

CREATE OR REPLACE FUNCTION crm_customer_names_inserted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    INSERT INTO customer_names (customer_id, name)
    SELECT id, name FROM inserted_rows WHERE name IS NOT NULL
    ON CONFLICT (customer_id) DO UPDATE SET name = excluded.name;
    RETURN NULL;
END $$;

-- A row trigger named by the column: it fires only for statements that set `name`, and only for
-- the rows whose name changed (an owner change of 100,000 never calls it).
CREATE OR REPLACE FUNCTION crm_customer_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name IS NULL THEN
        DELETE FROM customer_names WHERE customer_id = NEW.id;
    ELSE
        INSERT INTO customer_names (customer_id, name) VALUES (NEW.id, NEW.name)
        ON CONFLICT (customer_id) DO UPDATE SET name = excluded.name;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION crm_customer_names_deleted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    DELETE FROM customer_names WHERE customer_id = ANY (ARRAY(SELECT id FROM deleted_rows));
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS customer_names_insert ON customers;
CREATE TRIGGER customer_names_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_customer_names_inserted();
DROP TRIGGER IF EXISTS customer_names_update ON customers;
CREATE TRIGGER customer_names_update AFTER UPDATE OF name ON customers
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION crm_customer_names_changed();
DROP TRIGGER IF EXISTS customer_names_delete ON customers;
CREATE TRIGGER customer_names_delete AFTER DELETE ON customers
    REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_customer_names_deleted();

-- The rows written before the triggers, by keyset batches of `batch` ids, each committed (CALLed
-- outside a transaction by 0025). FOR SHARE: a name changed since this batch's snapshot is read as
-- committed and cannot change until the batch commits; ON CONFLICT DO NOTHING: the trigger wrote
-- that row first, with the newer name.
CREATE OR REPLACE PROCEDURE crm_customer_names_backfill(batch integer DEFAULT 10000) LANGUAGE plpgsql AS $$
DECLARE
    last_id uuid := '00000000-0000-0000-0000-000000000000';
    upto uuid;
BEGIN
    LOOP
        SELECT id INTO upto FROM customers WHERE id > last_id ORDER BY id OFFSET batch - 1 LIMIT 1;
        INSERT INTO customer_names (customer_id, name)
        SELECT held.id, held.name FROM (
            SELECT c.id, c.name FROM customers c
            WHERE c.id > last_id AND (upto IS NULL OR c.id <= upto) AND c.name IS NOT NULL
            FOR SHARE OF c) held
        ON CONFLICT DO NOTHING;
        COMMIT;
        EXIT WHEN upto IS NULL;
        last_id := upto;
    END LOOP;
END $$;
