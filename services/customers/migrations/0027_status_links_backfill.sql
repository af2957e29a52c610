-- crmkit:no-transaction
-- Fills `customer_status_links` (0026) for the rows that exist, by committed batches, then drops
-- `customers_status` (status filters and the "in use" check read the links now) and
-- `customers_owner_unit` (the unit filter reads the unit directory first). CONCURRENTLY: reads and
-- writes go on. A run stopped half-way is run again whole.
CALL crm_status_links_backfill(10000);
ANALYZE customer_status_links;
DROP INDEX CONCURRENTLY IF EXISTS customers_status;
DROP INDEX CONCURRENTLY IF EXISTS customers_owner_unit;
DROP PROCEDURE IF EXISTS crm_status_links_backfill(integer);
