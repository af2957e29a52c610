"""SQL for the referral tree (C-12): the descendants of a customer through `referred_by`."""
from __future__ import annotations

import uuid

import asyncpg

from crm_customers.store import customers as customer_store


async def descendants(conn: asyncpg.Connection, *, root_id: uuid.UUID, max_depth: int, limit: int,
                      access: customer_store.Access) -> list[asyncpg.Record]:
    """Up to `limit` descendants, breadth first (the recursive CTE yields one level per iteration,
    so the LIMIT stops it early), with whether the caller may see each; soft-deleted customers
    count as not visible. `path` guards against a cycle the write rules should already prevent."""
    params = customer_store.Params([root_id, max_depth, limit])
    visible = customer_store.visible_sql(access, params, alias="c")
    return await conn.fetch(
        "WITH RECURSIVE tree(id, referred_by, depth, path) AS ("
        "   SELECT c.id, c.referred_by, 1, ARRAY[$1::uuid, c.id] FROM customers c WHERE c.referred_by = $1"
        "   UNION ALL"
        "   SELECT c.id, c.referred_by, tree.depth + 1, tree.path || c.id FROM customers c"
        "   JOIN tree ON c.referred_by = tree.id"
        "   WHERE tree.depth < $2 AND c.id <> ALL(tree.path))"
        " , limited AS (SELECT * FROM tree LIMIT $3)"
        " SELECT c.id, c.name, c.status, c.created_at, t.depth, t.referred_by,"
        f"   {visible} AS visible"
        " FROM limited t JOIN customers c ON c.id = t.id",
        *params,
    )


async def has_children(conn: asyncpg.Connection, ids: list[uuid.UUID]) -> bool:
    return bool(await conn.fetchval("SELECT true FROM customers WHERE referred_by = ANY($1::uuid[]) LIMIT 1", ids))
