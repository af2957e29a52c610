-- crmkit:no-transaction
-- Fills customer_search (0011) and builds its GIN without locking `customers` for minutes: the
-- backfill commits every 10,000 rows, the index is built CONCURRENTLY (writes go on). Measured at
-- 1.33M rows in docs/benchmarks.md ("Search" → "5. Landed").
CALL crm_customer_search_backfill(10000);
-- A run that stopped half-way is run again whole: an index left INVALID by an interrupted build
-- would be kept by IF NOT EXISTS, so it is dropped and built again.
DROP INDEX CONCURRENTLY IF EXISTS customer_search_prefixes;
CREATE INDEX CONCURRENTLY IF NOT EXISTS customer_search_prefixes ON customer_search USING gin (prefixes);
ANALYZE customer_search;
