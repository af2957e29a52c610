-- Room on every page for the next version of a customer's access row: an assignment or a recall
-- rewrites the owner and holder of up to 100,000 rows, none of those columns is indexed, so the
-- update can be HOT (no new primary-key entry) when the page has room. Packed full, 20% of them
-- were; at 70, 93%: the upsert's time for 200,000 rows 3.0-3.2 s -> 2.3 s (docs/benchmarks.md,
-- "Room for HOT updates"). A catalog change (no rewrite, no lock that stops readers or writers):
-- pages written from now on keep the room; the packed ones get it as their rows move.
ALTER TABLE customer_access SET (fillfactor = 70);
