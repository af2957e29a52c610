-- The label links' update trigger (0021), planned anew on every firing. PL/pgSQL keeps the plan of a
-- statement without parameters for the session, made for the transition tables of the first
-- statement that fired the trigger: after a one-row update, the join of `new_rows` and `old_rows`
-- was a nested loop, and each later chunk of a bulk action (5,000 rows) compared 25 million pairs:
-- 6 s a chunk, and the first bulk label on a fresh service took 15-96 s until autovacuum's ANALYZE
-- made the plan anew (docs/benchmarks.md, "Labels in their own table"). EXECUTE plans the join for
-- the rows at hand (a hash join; ~0.2 ms of planning a statement). Set differences (EXCEPT) were
-- the other way out of the join, and cost 1.3-1.7 s more for an owner change of 100,000 customers,
-- which changes no label: they unnest and hash every pair of both tables.

-- The links (labels[i], ids[i]), each found by its primary key: the planner sizes the arrays at
-- 100 rows, never from the first statement's transition table. Nothing when the arrays are NULL.
CREATE OR REPLACE FUNCTION crm_label_links_remove(labels text[], ids uuid[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM customer_label_links k USING unnest(labels, ids) g(label, customer_id)
    WHERE k.label = g.label AND k.customer_id = g.customer_id
$$;

CREATE OR REPLACE FUNCTION crm_label_links_updated() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    added_labels text[]; added_ids uuid[]; gone_labels text[]; gone_ids uuid[];
BEGIN
    EXECUTE $sql$
        WITH changed AS (
            SELECT n.id, o.labels AS before, n.labels AS after
            FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.labels <> o.labels),
        pairs AS (
            SELECT l, c.id, true AS added FROM changed c, unnest(c.after) l WHERE l <> ALL (c.before)
            UNION ALL
            SELECT l, c.id, false FROM changed c, unnest(c.before) l WHERE l <> ALL (c.after))
        SELECT array_agg(l) FILTER (WHERE added), array_agg(id) FILTER (WHERE added),
               array_agg(l) FILTER (WHERE NOT added), array_agg(id) FILTER (WHERE NOT added)
        FROM pairs $sql$
    INTO added_labels, added_ids, gone_labels, gone_ids;
    IF added_ids IS NOT NULL THEN
        INSERT INTO customer_label_links (label, customer_id)
        SELECT * FROM unnest(added_labels, added_ids) ON CONFLICT DO NOTHING;
    END IF;
    PERFORM crm_label_links_remove(gone_labels, gone_ids);
    RETURN NULL;
END $$;

-- The same for deletes: the links of the deleted rows, by their arrays.
CREATE OR REPLACE FUNCTION crm_label_links_deleted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    PERFORM crm_label_links_remove(array_agg(l), array_agg(d.id)) FROM deleted_rows d, unnest(d.labels) l;
    RETURN NULL;
END $$;
