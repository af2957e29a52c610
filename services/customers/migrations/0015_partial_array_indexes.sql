-- crmkit:no-transaction
-- The GIN indexes of labels, groups, viewers and attributes leave out the rows that hold none:
-- an update of `customers` that is not HOT (every owner, label and status change: those columns
-- are indexed) adds an entry to every index of the row, and a GIN index files an empty array or
-- object under a placeholder key all the same (~170 WAL bytes a row each). At 1M, an owner change
-- of 100,000 customers: 6.1-6.2 s -> 5.6-5.7 s, 2,150 -> 1,560 WAL bytes a row (docs/benchmarks.md,
-- "Writes that touch one column"). A query names the predicate (`labels <> '{}'` beside
-- `labels && …`) so that the planner uses the index; an empty array matches none of these filters.
-- Built CONCURRENTLY before the old ones are dropped; a run stopped half-way is run again whole.
DROP INDEX CONCURRENTLY IF EXISTS customers_labels_held;
CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_labels_held ON customers USING gin (labels) WHERE labels <> '{}';
DROP INDEX CONCURRENTLY IF EXISTS customers_labels;
DROP INDEX CONCURRENTLY IF EXISTS customers_groups_held;
CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_groups_held ON customers USING gin (groups) WHERE groups <> '{}';
DROP INDEX CONCURRENTLY IF EXISTS customers_groups;
DROP INDEX CONCURRENTLY IF EXISTS customers_viewers_held;
CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_viewers_held ON customers USING gin (viewer_ids)
    WHERE viewer_ids <> '{}';
DROP INDEX CONCURRENTLY IF EXISTS customers_viewers;
DROP INDEX CONCURRENTLY IF EXISTS customers_attributes_held;
CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_attributes_held ON customers USING gin (attributes jsonb_path_ops)
    WHERE deleted_at IS NULL AND attributes <> '{}';
DROP INDEX CONCURRENTLY IF EXISTS customers_attributes;
