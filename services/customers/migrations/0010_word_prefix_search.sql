-- crmkit:no-transaction
-- Name search at scale (issue 14): an inverted index of word prefixes beside the trigram GIN.
--
-- `crm_word_prefixes(search_doc)`: every prefix of 2 to 8 characters of every word of the folded
-- search text (' ngo thi yen ' → {ng, ngo, th, thi, ye, yen}). A query word w (2+ characters)
-- starts a word of the row only if the row holds left(w, 8), so `@> ARRAY[...]` is an exact GIN
-- key lookup that the search adds before its LIKEs (which stay, as the recheck: one-letter
-- words, words longer than 8, the tax-code phrase). Measured at 1.33M rows (docs/benchmarks.md,
-- "Customers at scale (issue 14)" → "Search"): `nguyen van an` reads 88 index buffers instead
-- of 892 in the trigram GIN; 69 MB against 148 MB for the trigram index.
--
-- The statistics object gives the planner the real frequency of each prefix (ANALYZE keeps the
-- most common elements of the expression): without it `@>` is estimated at 0.5% of the table
-- whatever the word, and a one-word search for `an` (half the table) read 600k rows through the
-- index instead of walking the recency index (5.3 s against 0.3 s). A partial index's own
-- expression statistics are not used by the planner, hence the separate object.
--
-- Outside a transaction (see crmkit.db.NO_TRANSACTION): the index is built CONCURRENTLY, writes
-- continue during the build (5.5 min at 1.33M rows on the loaded 2-core benchmark machine).
CREATE OR REPLACE FUNCTION crm_word_prefixes(doc text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT coalesce(array_agg(DISTINCT left(w, n)), '{}') FROM unnest(string_to_array(btrim(doc), ' ')) w, generate_series(2, least(length(w), 8)) n $$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_search_prefixes ON customers
    USING gin (public.crm_word_prefixes(search_doc)) WHERE deleted_at IS NULL;
CREATE STATISTICS IF NOT EXISTS customers_search_prefixes_stats ON (public.crm_word_prefixes(search_doc)) FROM customers;
ANALYZE customers;
