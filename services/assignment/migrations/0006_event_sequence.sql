-- A-7: the order of the assignment events that move customers, across the whole service.
--
-- Events are keyed by assignment id, so a recall of assignment A and a new distribution B of the
-- same customer may reach the customers service in either order (different partitions). Each
-- such event carries `sequence`, drawn from this sequence in the transaction that changed the
-- customers' assignment rows, after their row locks were taken: of two transactions touching one
-- customer, the one that commits later draws the larger number. The customers service remembers
-- per customer the last applied number and skips an older event for it.
CREATE SEQUENCE assignment_event_sequence AS bigint;
