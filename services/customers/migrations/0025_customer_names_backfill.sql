-- crmkit:no-transaction
-- Fills `customer_names` (0024) by committed batches, builds its sort index CONCURRENTLY (reads and
-- writes go on), then drops the one on `customers`. A run stopped half-way is run again whole: an
-- index left INVALID by an interrupted build would be kept by IF NOT EXISTS, so it is dropped and
-- built again. Until the new index is valid, `sort=name` pages sort the caller's rows (a top-N sort).
CALL crm_customer_names_backfill(10000);
DROP INDEX CONCURRENTLY IF EXISTS customer_names_sorted;
CREATE INDEX CONCURRENTLY IF NOT EXISTS customer_names_sorted ON customer_names (name, customer_id);
ANALYZE customer_names;
DROP INDEX CONCURRENTLY IF EXISTS customers_live_name;
DROP PROCEDURE IF EXISTS crm_customer_names_backfill(integer);
