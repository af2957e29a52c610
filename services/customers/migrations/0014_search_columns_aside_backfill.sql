-- crmkit:no-transaction
-- Fills the search columns of customer_search (0013) by committed batches, builds their indexes
-- CONCURRENTLY (writes go on), then drops the old indexes CONCURRENTLY and the generated columns
-- of `customers` (a catalog change: the rows are not rewritten; the lock is held an instant). A
-- run that stopped half-way is run again whole: an index left INVALID by an interrupted build
-- would be kept by IF NOT EXISTS, so it is dropped and built again.
CALL crm_customer_search_columns_backfill(10000);
DROP INDEX CONCURRENTLY IF EXISTS customer_search_doc;
CREATE INDEX CONCURRENTLY IF NOT EXISTS customer_search_doc ON customer_search USING gin (search_doc gin_trgm_ops);
DROP INDEX CONCURRENTLY IF EXISTS customer_search_phone_rev;
CREATE INDEX CONCURRENTLY IF NOT EXISTS customer_search_phone_rev ON customer_search (phone_rev text_pattern_ops);
ANALYZE customer_search;
DROP INDEX CONCURRENTLY IF EXISTS customers_search_doc;
DROP INDEX CONCURRENTLY IF EXISTS customers_phone_rev;
ALTER TABLE customers DROP COLUMN IF EXISTS search_doc, DROP COLUMN IF EXISTS phone_rev;
DROP PROCEDURE IF EXISTS crm_customer_search_columns_backfill(integer);
DROP PROCEDURE IF EXISTS crm_customer_search_backfill(integer);
