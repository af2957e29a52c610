-- Name search for common words, walked newest first (issue 14). A search whose words are common
-- ("le minh": ~3,500 matches at 1M) fills its first page from the newest customers, but the plan
-- walked the list's sort index of `customers` and probed each customer's `customer_search` row
-- (~4 buffers a row, ~12,500 for a page at 1M; 92,000 as a branch manager), or fetched every match
-- by primary key to sort them. With the customer's `created_at` beside its search text, one B-tree
-- `(created_at, customer_id) INCLUDE (search_doc)` answers the walk by itself: an index-only scan
-- tests each row's words on the index page (~80 rows a page), and only the matches are fetched from
-- `customers` for visibility and the other filters (store.selection.listing_where, store.paging).
--
-- This file: the column and the triggers that keep it. 0020 fills the rows that exist by committed
-- batches and builds the index CONCURRENTLY. A customer's `created_at` never changes; the update
-- trigger copies it anyway, so a row written while 0020 runs is complete.

ALTER TABLE customer_search ADD COLUMN IF NOT EXISTS created_at timestamptz;

-- The walk starts at the newest rows, the ones the visibility map does not yet mark all-visible:
-- there the index-only scan reads each row's heap page too (a common pair at 2.6M: 143 buffers
-- after a vacuum, 4,450 with ~400,000 rows written since). PostgreSQL vacuums after inserts of 20%
-- of the table (200,000 rows at 1M, 2M at 10M); at 2% the newest rows are vacuumed ten times as
-- soon. A catalog change (SHARE UPDATE EXCLUSIVE); a vacuum of this table at 2.6M took 5 s.
ALTER TABLE customer_search SET (autovacuum_vacuum_insert_scale_factor = 0.02);

CREATE OR REPLACE FUNCTION crm_customer_search_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH docs AS MATERIALIZED (
        SELECT id, phone, created_at, crm_customer_search_doc(name, company_name, email, tax_code) AS doc
        FROM inserted_rows)
    INSERT INTO customer_search (customer_id, search_doc, phone_rev, prefixes, created_at)
    SELECT id, doc, crm_phone_rev(phone), crm_word_prefixes(doc), created_at FROM docs
    ON CONFLICT (customer_id) DO UPDATE
        SET search_doc = excluded.search_doc, phone_rev = excluded.phone_rev, prefixes = excluded.prefixes,
            created_at = excluded.created_at;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION crm_customer_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    doc text := crm_customer_search_doc(NEW.name, NEW.company_name, NEW.email, NEW.tax_code);
BEGIN
    INSERT INTO customer_search (customer_id, search_doc, phone_rev, prefixes, created_at)
    VALUES (NEW.id, doc, crm_phone_rev(NEW.phone), crm_word_prefixes(doc), NEW.created_at)
    ON CONFLICT (customer_id) DO UPDATE
        SET search_doc = excluded.search_doc, phone_rev = excluded.phone_rev, prefixes = excluded.prefixes,
            created_at = excluded.created_at;
    RETURN NULL;
END $$;

-- The rows written before this file, by keyset batches that each commit (CALLed by 0020 outside a
-- transaction). A row a trigger has written since holds its `created_at` already and is skipped.
CREATE OR REPLACE PROCEDURE crm_customer_search_recency_backfill(batch integer DEFAULT 10000) LANGUAGE plpgsql AS $$
DECLARE
    last_id uuid := '00000000-0000-0000-0000-000000000000';
    upto uuid;
BEGIN
    LOOP
        SELECT customer_id INTO upto FROM customer_search WHERE customer_id > last_id
        ORDER BY customer_id OFFSET batch - 1 LIMIT 1;
        UPDATE customer_search s SET created_at = c.created_at
        FROM customers c
        WHERE c.id = s.customer_id AND s.created_at IS NULL
          AND s.customer_id > last_id AND (upto IS NULL OR s.customer_id <= upto);
        COMMIT;
        EXIT WHEN upto IS NULL;
        last_id := upto;
    END LOOP;
END $$;
