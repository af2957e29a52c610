-- The insert trigger of 0013 computed each new customer's search text twice: PostgreSQL pulls the
-- subquery up and copies its `doc` expression into both uses (the column and its prefixes). The
-- MATERIALIZED CTE keeps one evaluation a row. A single COPY of 99,000 rows of the import
-- benchmark's file: see docs/benchmarks.md, "Imports (issue 11)".
CREATE OR REPLACE FUNCTION crm_customer_search_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH docs AS MATERIALIZED (
        SELECT id, phone, crm_customer_search_doc(name, company_name, email, tax_code) AS doc FROM inserted_rows)
    INSERT INTO customer_search (customer_id, search_doc, phone_rev, prefixes)
    SELECT id, doc, crm_phone_rev(phone), crm_word_prefixes(doc) FROM docs
    ON CONFLICT (customer_id) DO UPDATE
        SET search_doc = excluded.search_doc, phone_rev = excluded.phone_rev, prefixes = excluded.prefixes;
    RETURN NULL;
END $$;
