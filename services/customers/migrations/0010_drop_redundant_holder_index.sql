-- Issue 14, "Writes that touch one column": customers_holder (holder_id) WHERE holder_id IS NOT NULL
-- is the prefix of customers_holder_created (holder_id, created_at, id) under the same condition, so
-- every lookup by holder can use the latter; each insert, and each update that is not HOT (today:
-- all of them), paid for both. One index fewer of the 19 (docs/benchmarks.md, "Writes that touch
-- one column": bench/customer_writes_bench.py measured the variant). Dropping an index is a catalog
-- change (a brief exclusive lock, no table rewrite), safe on a 10M-row table.
DROP INDEX IF EXISTS customers_holder;
