"""SQL of a selection for distribution (A-3, issue 13): the customers a filter matches that the
caller may hand over, with what the assignment service needs of each (owner, owner's unit,
province, version), written by PostgreSQL itself in the wire format of `crmkit.customer_rows`
(the measurements that chose it are there): neither asyncpg nor this service decodes a row."""
from __future__ import annotations

import uuid

import asyncpg

from crm_customers.store.customers import Params

_NONE = "'\\x00000000000000000000000000000000'::bytea"
# (the owner units of the rows as JSON {unit id: path}, the packed rows). A unit id whose customers
# carry different paths (a unit moved since some were written) is given one of them.
_SELECTION = f"""
WITH picked AS MATERIALIZED (
    SELECT c.id, c.owner_id, c.owner_unit_id, c.owner_unit_path, c.province_code, c.version
    FROM customers c WHERE {{where}} LIMIT {{limit}}
)
SELECT (SELECT coalesce(json_object_agg(owner_unit_id, path), '{{{{}}}}'::json)::text
        FROM (SELECT owner_unit_id, max(owner_unit_path) AS path FROM picked
              WHERE owner_unit_id IS NOT NULL AND owner_unit_path IS NOT NULL GROUP BY owner_unit_id) u) AS units,
       (SELECT coalesce(string_agg(uuid_send(id) || coalesce(uuid_send(owner_id), {_NONE})
                                   || coalesce(uuid_send(owner_unit_id), {_NONE})
                                   || int2send(coalesce(province_code, 0)::int2) || int4send(version), ''::bytea),
                        ''::bytea)
        FROM picked) AS rows
"""


async def selection_rows(conn: asyncpg.Connection, *, where: str, params: Params, limit: int) -> tuple[str, bytes]:
    """At most `limit` rows matching `where` (in no particular order): (units JSON, packed rows)."""
    row = await conn.fetchrow(_SELECTION.format(where=where, limit=params.add(limit)), *params)
    return row["units"], row["rows"]


async def count(conn: asyncpg.Connection, *, where: str, params: Params) -> int:
    return await conn.fetchval(f"SELECT count(*) FROM customers c WHERE {where}", *params)


async def snapshots(conn: asyncpg.Connection, *, ids: list[uuid.UUID], visible: str, params: Params
                    ) -> list[asyncpg.Record]:
    """Who may see each of the live customers of `ids` (`$1`) that pass `visible`."""
    return await conn.fetch(
        "SELECT c.id, c.owner_id, c.owner_unit_id, c.owner_unit_path, c.holder_id, c.viewer_ids, c.province_code,"
        f" c.version FROM customers c WHERE c.id = ANY($1::uuid[]) AND {visible}", *params)
