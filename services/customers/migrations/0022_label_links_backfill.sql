-- crmkit:no-transaction
-- Fills `customer_label_links` (0021) for the rows that exist, by committed batches, then drops the
-- two indexes that kept every write off the HOT path: the labels GIN (filters read the links now)
-- and `customers_live_updated` (only `sort=updated_at` over a whole organisation used it: that sort
-- is now a top-N sort like the other unindexed columns'; docs/benchmarks.md, "Labels in their own
-- table"). CONCURRENTLY: reads and writes go on. A run stopped half-way is run again whole.
CALL crm_label_links_backfill(10000);
ANALYZE customer_label_links;
DROP INDEX CONCURRENTLY IF EXISTS customers_labels_held;
DROP INDEX CONCURRENTLY IF EXISTS customers_live_updated;
DROP PROCEDURE IF EXISTS crm_label_links_backfill(integer);
