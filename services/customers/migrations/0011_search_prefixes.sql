-- Name search at scale (issue 14): the word prefixes of every customer, stored in a narrow side
-- table with a GIN index, kept by triggers so that every write path (the service's INSERTs and
-- UPDATEs, the import's INSERT … SELECT and UPDATE … FROM, the generator's COPY, purges) keeps it
-- without knowing about it. See docs/architecture.md, "Customer search", and docs/benchmarks.md,
-- "Customers at scale (issue 14)" → "Search".
--
-- `crm_word_prefixes(search_doc)`: every prefix of 2 to 8 characters of every word of the folded
-- search text (' ngo thi yen ' → {ng, ngo, th, thi, ye, yen}). A query word w of 2+ characters
-- starts a word of the row exactly when the row holds left(w, 8), so the search asks
-- `prefixes @> ARRAY[…]` (exact GIN keys; a stored column has its own statistics) and keeps a
-- LIKE on `search_doc` only for one-letter words and words longer than 8. PL/pgSQL without
-- de-duplication (the GIN keeps each key once per row): ~14 µs a row against ~90 µs for the
-- set-based SQL function measured in bd8fac1.
--
-- The table holds every customer (deleted ones and tombstones too): visibility, deletion and the
-- page's columns come from `customers`, joined by primary key. Owner, status, label, deletion and
-- restore writes never touch it (no trigger fires: not a searched column).
-- The rows are written by 0012 (batches that commit, then the GIN built CONCURRENTLY).

CREATE OR REPLACE FUNCTION crm_word_prefixes(doc text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    word text;
    n integer;
    out text[] := '{}';
BEGIN
    IF doc IS NULL THEN
        RETURN out;
    END IF;
    FOREACH word IN ARRAY string_to_array(btrim(doc), ' ') LOOP
        FOR n IN 2 .. least(length(word), 8) LOOP
            out := out || left(word, n);
        END LOOP;
    END LOOP;
    RETURN out;
END $$;

CREATE TABLE customer_search (
    customer_id  uuid PRIMARY KEY,
    prefixes     text[] NOT NULL
);

-- Inserts, one statement at a time (COPY and INSERT … SELECT of an import chunk: one INSERT here).
CREATE OR REPLACE FUNCTION crm_customer_search_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_search (customer_id, prefixes)
    SELECT id, crm_word_prefixes(search_doc) FROM inserted_rows
    ON CONFLICT (customer_id) DO UPDATE SET prefixes = excluded.prefixes;
    RETURN NULL;
END $$;

-- Updates: a row trigger, because a statement trigger with transition tables cannot name columns
-- and would copy every row of every owner change (issue 13's hot path) into a tuplestore; this one
-- fires only for rows whose search text changed.
CREATE OR REPLACE FUNCTION crm_customer_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_search (customer_id, prefixes) VALUES (NEW.id, crm_word_prefixes(NEW.search_doc))
    ON CONFLICT (customer_id) DO UPDATE SET prefixes = excluded.prefixes;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION crm_customer_search_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM customer_search s USING deleted_rows d WHERE s.customer_id = d.id;
    RETURN NULL;
END $$;

CREATE TRIGGER customer_search_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_customer_search_inserted();
CREATE TRIGGER customer_search_update AFTER UPDATE OF name, company_name, email, tax_code ON customers
    FOR EACH ROW WHEN (OLD.search_doc IS DISTINCT FROM NEW.search_doc)
    EXECUTE FUNCTION crm_customer_search_changed();
CREATE TRIGGER customer_search_delete AFTER DELETE ON customers
    REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_customer_search_deleted();

-- The rows that existed before the triggers, by keyset batches of `batch` ids, each committed
-- (CALLed outside a transaction by 0012): no long transaction, no lock on `customers` beyond the
-- rows read. ON CONFLICT DO NOTHING: a row a trigger wrote meanwhile is newer than this read.
CREATE OR REPLACE PROCEDURE crm_customer_search_backfill(batch integer DEFAULT 10000) LANGUAGE plpgsql AS $$
DECLARE
    last_id uuid := '00000000-0000-0000-0000-000000000000';
    upto uuid;
BEGIN
    LOOP
        SELECT id INTO upto FROM customers WHERE id > last_id ORDER BY id OFFSET batch - 1 LIMIT 1;
        INSERT INTO customer_search (customer_id, prefixes)
        SELECT id, crm_word_prefixes(search_doc) FROM customers
        WHERE id > last_id AND (upto IS NULL OR id <= upto)
        ON CONFLICT (customer_id) DO NOTHING;
        COMMIT;
        EXIT WHEN upto IS NULL;
        last_id := upto;
    END LOOP;
END $$;
