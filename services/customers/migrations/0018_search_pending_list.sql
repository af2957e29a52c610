-- The search indexes keep at most 512 kB of not-yet-merged entries instead of PostgreSQL's 4 MB.
-- A GIN index files new rows in a pending list that every search reads whole, and merges it only
-- when it is full or the table is vacuumed (at 1M, after some 200,000 inserts): a full 4 MB list
-- (~15,000 new or edited customers, one import) made the name search's index probe 2.7 -> 10-11 ms,
-- a 512 kB one 3.6 ms; 100,000 rows inserted in chunks of 2,000 cost 6.0 s instead of 4.8 s
-- (docs/benchmarks.md, "Search: the pending list"). The search is the screen every rep uses all day.
--
-- ALTER INDEX … SET takes an ACCESS EXCLUSIVE lock on the index, and every query of
-- customer_search opens it: so each attempt waits at most 1 s for the lock (not behind a long
-- export while every search queues behind the migration), half a second apart; after a minute the
-- migration fails and is tried again at the next start.
SET LOCAL lock_timeout = '1s';
DO $$
BEGIN
    FOR attempt IN 1..40 LOOP
        BEGIN
            ALTER INDEX customer_search_prefixes SET (gin_pending_list_limit = 512);
            ALTER INDEX customer_search_doc SET (gin_pending_list_limit = 512);
            RETURN;
        EXCEPTION
            WHEN lock_not_available THEN
                IF attempt = 40 THEN
                    RAISE;
                END IF;
                PERFORM pg_sleep(0.5);
        END;
    END LOOP;
END $$;
