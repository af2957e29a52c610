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
-- name, added by triggers of its own when a row brings a new one (a few thousand syllables and
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

-- Triggers of their own (as the name sort's and the links'), so that the search rows' functions
-- stay as 0019 wrote them: a statement trigger for inserts (its transition table is the one the
-- other insert triggers already capture), a row trigger named by the two columns for updates (an
-- owner change of 100,000 never calls it).
CREATE OR REPLACE FUNCTION crm_search_words_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM crm_search_words_add(ARRAY(SELECT unnest(crm_vocabulary_words(name, company_name)) FROM inserted_rows));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION crm_search_words_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM crm_search_words_add(crm_vocabulary_words(NEW.name, NEW.company_name));
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS search_words_insert ON customers;
CREATE TRIGGER search_words_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_search_words_inserted();
DROP TRIGGER IF EXISTS search_words_update ON customers;
CREATE TRIGGER search_words_update AFTER UPDATE OF name, company_name ON customers FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.company_name IS DISTINCT FROM NEW.company_name)
    EXECUTE FUNCTION crm_search_words_changed();
