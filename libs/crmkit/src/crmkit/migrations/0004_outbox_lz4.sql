-- Outbox payloads compressed with lz4 instead of pglz, PostgreSQL's default. An event of a batch
-- (5,000 customer ids, ~200 KB of JSON; a customers.bulk_owner_changed of 2,000 customers, ~600 KB)
-- took 7.1 / 19.5 ms to insert with pglz — mostly spent trying to compress random UUIDs — and
-- 1.5 / 5.0 ms with lz4 (same machine, same session); a distribution of 100,000 leads writes 20 of
-- the first in the transaction that answers, applying it writes 50 of the second (docs/benchmarks.md,
-- issue 13). Only the column's setting changes: rows already written keep pglz, and are read as
-- before. A PostgreSQL built without lz4 keeps pglz.
--
-- The change takes an ACCESS EXCLUSIVE lock on `outbox`, which every writing transaction touches:
-- waiting behind a long one (a replica of the previous version applying a bulk action) would hold
-- every new writer up meanwhile. So each attempt waits at most 1 s for the lock, and gives way for
-- half a second between attempts; after a minute the migration fails (and is tried again at the
-- next start).
SET LOCAL lock_timeout = '1s';
DO $$
BEGIN
    FOR attempt IN 1..40 LOOP
        BEGIN
            ALTER TABLE outbox ALTER COLUMN payload SET COMPRESSION lz4;
            RETURN;
        EXCEPTION
            WHEN lock_not_available THEN
                IF attempt = 40 THEN
                    RAISE;
                END IF;
                PERFORM pg_sleep(0.5);
            WHEN feature_not_supported THEN
                RAISE NOTICE 'lz4 is not available in this PostgreSQL build: outbox payloads stay pglz';
                RETURN;
        END;
    END LOOP;
END $$;
