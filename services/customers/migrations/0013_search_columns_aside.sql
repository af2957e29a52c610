-- The search document and the phone suffix leave `customers` for `customer_search` (issues 13, 14:
-- "writes that touch one column"). An owner, label or status change is never HOT on `customers`
-- (those columns are indexed), so every such update adds an entry to every index of the table,
-- whatever changed: the search document's trigram GIN was the costliest of them (~560 of ~2,830
-- WAL bytes a row; an owner change of 100,000 customers at 1M: 8.8 s, 6.3 s without it and the
-- phone suffix index — docs/benchmarks.md, "Writes that touch one column"). In `customer_search`
-- they change only when a searched field changes, and no stored generated column is recomputed on
-- every update of `customers` any more.
--
-- This file: the columns, the one definition of the search text, and the triggers that keep them.
-- 0014 fills the rows that exist, builds the indexes CONCURRENTLY and drops the old columns.

ALTER TABLE customer_search ADD COLUMN search_doc text, ADD COLUMN phone_rev text;

-- ' nguyen van an cong ty dai phat van a example vn 0100109106 ': what 0003's generated column held.
CREATE OR REPLACE FUNCTION crm_customer_search_doc(name text, company_name text, email text, tax_code text)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT public.crm_search_text(coalesce(name, '') || ' ' || coalesce(company_name, '') || ' '
                                  || coalesce(email, '') || ' ' || coalesce(tax_code, ''))
$$;

CREATE OR REPLACE FUNCTION crm_phone_rev(phone text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT reverse(regexp_replace(phone, '[^0-9]', '', 'g')) $$;

CREATE OR REPLACE FUNCTION crm_customer_search_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_search (customer_id, search_doc, phone_rev, prefixes)
    SELECT id, doc, crm_phone_rev(phone), crm_word_prefixes(doc)
    FROM (SELECT id, phone, crm_customer_search_doc(name, company_name, email, tax_code) AS doc
          FROM inserted_rows) r
    ON CONFLICT (customer_id) DO UPDATE
        SET search_doc = excluded.search_doc, phone_rev = excluded.phone_rev, prefixes = excluded.prefixes;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION crm_customer_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    doc text := crm_customer_search_doc(NEW.name, NEW.company_name, NEW.email, NEW.tax_code);
BEGIN
    INSERT INTO customer_search (customer_id, search_doc, phone_rev, prefixes)
    VALUES (NEW.id, doc, crm_phone_rev(NEW.phone), crm_word_prefixes(doc))
    ON CONFLICT (customer_id) DO UPDATE
        SET search_doc = excluded.search_doc, phone_rev = excluded.phone_rev, prefixes = excluded.prefixes;
    RETURN NULL;
END $$;

DROP TRIGGER customer_search_update ON customers;
CREATE TRIGGER customer_search_update AFTER UPDATE OF name, company_name, email, tax_code, phone ON customers
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.company_name IS DISTINCT FROM NEW.company_name
                       OR OLD.email IS DISTINCT FROM NEW.email OR OLD.tax_code IS DISTINCT FROM NEW.tax_code
                       OR OLD.phone IS DISTINCT FROM NEW.phone)
    EXECUTE FUNCTION crm_customer_search_changed();

-- The rows written before this file, by keyset batches that each commit (CALLed by 0014 outside a
-- transaction). A row a trigger has written since holds its columns already and is skipped.
CREATE OR REPLACE PROCEDURE crm_customer_search_columns_backfill(batch integer DEFAULT 10000)
    LANGUAGE plpgsql AS $$
DECLARE
    last_id uuid := '00000000-0000-0000-0000-000000000000';
    upto uuid;
BEGIN
    LOOP
        SELECT customer_id INTO upto FROM customer_search WHERE customer_id > last_id
        ORDER BY customer_id OFFSET batch - 1 LIMIT 1;
        UPDATE customer_search s
        SET search_doc = crm_customer_search_doc(c.name, c.company_name, c.email, c.tax_code),
            phone_rev = crm_phone_rev(c.phone)
        FROM customers c
        WHERE c.id = s.customer_id AND s.search_doc IS NULL
          AND s.customer_id > last_id AND (upto IS NULL OR s.customer_id <= upto);
        COMMIT;
        EXIT WHEN upto IS NULL;
        last_id := upto;
    END LOOP;
END $$;
