-- crmkit:no-transaction
-- Fills `customer_search.created_at` (0019) by committed batches, then builds the walk's index
-- CONCURRENTLY (writes go on). A run that stopped half-way is run again whole: an index left
-- INVALID by an interrupted build would be kept by IF NOT EXISTS, so it is dropped and built again.
CALL crm_customer_search_recency_backfill(10000);
DROP INDEX CONCURRENTLY IF EXISTS customer_search_recent;
CREATE INDEX CONCURRENTLY IF NOT EXISTS customer_search_recent
    ON customer_search (created_at, customer_id) INCLUDE (search_doc);
VACUUM (ANALYZE) customer_search;
DROP PROCEDURE IF EXISTS crm_customer_search_recency_backfill(integer);
