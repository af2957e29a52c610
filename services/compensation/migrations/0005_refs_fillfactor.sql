-- Room on every page for the next version of a customer's ref: an assignment or a recall rewrites
-- the owner of up to 100,000 refs, the owner is not indexed, so the update can be HOT (no new
-- primary-key entry) when the page has room. Packed full, 5% of them were; at 70, 96%
-- (docs/benchmarks.md, "Room for HOT updates"). A catalog change (no rewrite, no lock that stops
-- readers or writers): pages written from now on keep the room; the packed ones get it as their
-- rows move.
ALTER TABLE customer_refs SET (fillfactor = 70);
