-- The typo fallback by words (issue 14: search). When a search finds nothing exactly, the list
-- falls back to similar words. It was the whole folded query's pg_trgm word similarity to the
-- search text (`<%`): the trigram GIN's candidates for a phrase of common words are every row
-- holding most of its trigrams (29,890 for `nguyen vna an` at 1M, each rechecked: ~500 ms as the
-- admin or a branch manager, ten times that at 10M), and the matches it kept were thousands of
-- loosely similar names in creation order. Now each word may differ from a customer's word by the
-- typos Elasticsearch's `fuzziness: AUTO` allows (none below 3 letters, one up to 5, two beyond;
-- a transposition is one), and the search is then an exact one over the prefixes those words
-- allow (store.selection, domain.typos): the prefix GIN, few rows, the list's own order.
--
-- The words come from here: every folded word of 2-24 letters of a customer's name or company
-- name, added by the search triggers when a row brings a new one (a few thousand syllables and
-- company words in all: e-mails and tax codes are not in it). The service reads it once per process
-- and then only the words added since (`seq`). Words are never removed: one no customer holds any
-- more only adds a prefix that finds nobody.
--
-- This file: the table and the triggers. 0029 fills it from the customers that exist.

-- No unique key on the word: two transactions adding the same new word would wait for each other
-- (and an import's chunks, adding words row by row, could deadlock). Both add it instead; a word
-- twice is harmless (the service keeps a set) and rare (only a word new to the whole table).
CREATE TABLE IF NOT EXISTS search_words (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    word text NOT NULL
);
CREATE INDEX IF NOT EXISTS search_words_word ON search_words (word);

CREATE OR REPLACE FUNCTION crm_vocabulary_words(name text, company_name text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT w), '{}')
    FROM unnest(string_to_array(btrim(public.crm_search_text(coalesce(name, '') || ' ' || coalesce(company_name, ''))), ' ')) w
    WHERE w ~ '^[a-z]{2,24}$'
$$;

CREATE OR REPLACE FUNCTION crm_search_words_add(words text[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO search_words (word)
    SELECT w FROM (SELECT DISTINCT unnest(words) AS w) d
    WHERE NOT EXISTS (SELECT FROM search_words s WHERE s.word = d.w)
$$;

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
    PERFORM crm_search_words_add(ARRAY(SELECT unnest(crm_vocabulary_words(name, company_name)) FROM inserted_rows));
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
    IF NEW.name IS DISTINCT FROM OLD.name OR NEW.company_name IS DISTINCT FROM OLD.company_name THEN
        PERFORM crm_search_words_add(crm_vocabulary_words(NEW.name, NEW.company_name));
    END IF;
    RETURN NULL;
END $$;
