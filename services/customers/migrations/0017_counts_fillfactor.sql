-- Room on every page for the next version of a counts row: the counters change in bulk (one more
-- timeline entry for each of the 100,000 customers an assignment or a recall wrote a line for) and
-- no counter is indexed, so the update can be HOT (the row's new version on its own page, no new
-- primary-key entry) when the page has room. Packed full, 5-30% of them were; at 70, 93%: the
-- upsert's time for 200,000 rows 3.9-4.3 s -> 2.6 s (docs/benchmarks.md, "Room for HOT updates").
-- A catalog change (no rewrite, no lock that stops readers or writers): pages written from now on
-- keep the room; the packed ones get it as their rows move.
ALTER TABLE customer_counts SET (fillfactor = 70);
