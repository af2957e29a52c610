-- Outbox payloads compressed with lz4 instead of pglz, PostgreSQL's default. An event of a batch
-- (5,000 customer ids, ~200 KB of JSON; a customers.bulk_owner_changed of 2,000 customers, ~600 KB)
-- took 7.1 / 19.5 ms to insert with pglz — mostly spent trying to compress random UUIDs — and
-- 1.5 / 5.0 ms with lz4 (same machine, same session); a distribution of 100,000 leads writes 20 of
-- the first in the transaction that answers, applying it writes 50 of the second (docs/benchmarks.md,
-- issue 13). Only the column's setting changes: rows already written keep pglz, and are read as
-- before. A PostgreSQL built without lz4 keeps pglz.
DO $$
BEGIN
    ALTER TABLE outbox ALTER COLUMN payload SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available in this PostgreSQL build: outbox payloads stay pglz';
END $$;
