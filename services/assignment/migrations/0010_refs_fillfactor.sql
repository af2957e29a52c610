-- Room on every page for the next version of a customer's row: each distribution and each recall
-- of 100,000 leads rewrites 100,000 rows here (the owner the customers service applied), and only
-- the primary key indexes this table, so the update can be HOT (its new version on its own page,
-- no new index entry) when the page has room. Packed full, few were; the same change on the
-- customers' timeline counters and the compensation service's refs took their upserts from 5-30%
-- to 83-94% HOT and 25-35% less time (docs/benchmarks.md, "Room for HOT updates"). A catalog change:
-- pages written from now on keep the room; the packed ones get it as their rows move.
ALTER TABLE customer_refs SET (fillfactor = 70);
