"""The referral tree of a customer (C-12), in one call.

The root must be visible to the caller (else 404). Descendants come breadth first, at most
`max_depth` levels and `limit` nodes (`truncated: true` when more nodes or deeper levels exist). Each node the caller may
see carries `id, name, status, created_at, depth, referred_by`. A node the caller may not see (or a
deleted one) is kept only when a visible node lies below it, so that the tree stays connected, and
then as `{id, depth, referred_by, hidden: true}` with no personal data; invisible leaves and
invisible branches without visible descendants are cut.
"""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import NotFound

from crm_customers.store import customers as customer_store
from crm_customers.store import referrals as store

MAX_DEPTH = 10
MAX_NODES = 1000


def shape_tree(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nodes in (depth, created_at, id) order; invisible ones kept only above a visible one, hidden."""
    parents = {row["id"]: row["referred_by"] for row in rows}
    keep: set[uuid.UUID] = set()
    for row in rows:
        if row["visible"]:
            node = row["id"]
            while node in parents and node not in keep:
                keep.add(node)
                node = parents[node]
    nodes = []
    for row in sorted((r for r in rows if r["id"] in keep), key=lambda r: (r["depth"], r["created_at"], r["id"])):
        if row["visible"]:
            nodes.append({"id": row["id"], "name": row["name"], "status": row["status"],
                          "created_at": row["created_at"], "depth": row["depth"],
                          "referred_by": row["referred_by"], "hidden": False})
        else:
            nodes.append({"id": row["id"], "name": None, "status": None, "created_at": None,
                          "depth": row["depth"], "referred_by": row["referred_by"], "hidden": True})
    return nodes


async def referral_tree(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID,
                        max_depth: int = MAX_DEPTH, limit: int = MAX_NODES) -> dict[str, Any]:
    max_depth, limit = max(1, min(max_depth, MAX_DEPTH)), max(1, min(limit, MAX_NODES))
    access = customer_store.access_of(principal)
    async with pool.acquire() as conn:
        root = await customer_store.get_visible(conn, customer_id=customer_id, access=access)
        if root is None:
            raise NotFound()
        rows = [dict(r) for r in await store.descendants(conn, root_id=customer_id, max_depth=max_depth,
                                                         limit=limit + 1, access=access)]
        truncated = len(rows) > limit
        if truncated:  # drop the extra row: the deepest, last one (BFS order is kept by depth)
            rows.sort(key=lambda r: (r["depth"], r["created_at"], r["id"]))
            rows = rows[:limit]
        else:  # levels below max_depth exist?
            deepest = [r["id"] for r in rows if r["depth"] == max_depth]
            truncated = bool(deepest) and await store.has_children(conn, deepest)
    return {
        "root": {"id": root["id"], "name": root["name"], "status": root["status"], "created_at": root["created_at"],
                 "referred_by": root["referred_by"]},
        "items": shape_tree(rows), "max_depth": max_depth, "truncated": truncated,
    }
