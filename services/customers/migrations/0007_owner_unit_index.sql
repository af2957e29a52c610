-- Filtering by unit finds the unit's path from a customer it owns when no user of the directory
-- is in that unit: without this index that lookup read the whole table.
CREATE INDEX customers_owner_unit ON customers (owner_unit_id) WHERE owner_unit_id IS NOT NULL;
