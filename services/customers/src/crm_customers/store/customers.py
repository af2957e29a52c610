"""SQL for the customer aggregate."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

COLUMNS = (
    "id, name, phone, email, birthday, province_code, province_name, gender, address, source, customer_type,"
    " company_name, tax_code, position, note, party_type, organization_size, founding_date, industry,"
    " description, contact_person, lifecycle, status, labels, groups, attributes, owner_id, owner_unit_id,"
    " owner_unit_path, holder_id, viewer_ids, referred_by, version, created_at, updated_at"
)
_C_COLUMNS = ", ".join(f"c.{name.strip()}" for name in COLUMNS.split(","))

# The caller may see the row: admin, owner, holder, viewer, or a manager above the owner's unit
# ($2 is_admin, $3 user id, $4 is_manager, $5 the manager's unit path).
VISIBLE_TO_CALLER = ("($2 OR c.owner_id = $3 OR c.holder_id = $3 OR $3 = ANY(c.viewer_ids)"
                     " OR ($4 AND $5 <> '' AND c.owner_unit_path LIKE $5 || '%'))")
# ... and may edit it: admin, owner, or a manager above the owner's unit (C-9).
EDITABLE_BY_CALLER = "($2 OR c.owner_id = $3 OR ($4 AND $5 <> '' AND c.owner_unit_path LIKE $5 || '%'))"


def as_customer(row: asyncpg.Record | None) -> dict[str, Any] | None:
    """The record as the API and the events show it: province as `{code, name}`."""
    if row is None:
        return None
    customer = dict(row)
    code, name = customer.pop("province_code"), customer.pop("province_name")
    customer["province"] = {"code": code, "name": name} if code is not None else None
    customer.pop("editable", None)
    return customer


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    """Record values → column values (the province is stored as code and name)."""
    columns = dict(values)
    if "province" in columns:
        province = columns.pop("province")
        columns["province_code"] = province["code"] if province else None
        columns["province_name"] = province["name"] if province else None
    return columns


async def insert(conn: asyncpg.Connection, *, values: dict) -> dict[str, Any]:
    columns = _columns(values)
    placeholders = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
    return as_customer(await conn.fetchrow(
        f"INSERT INTO customers ({', '.join(columns)}) VALUES ({placeholders}) RETURNING {COLUMNS}",
        *columns.values(),
    ))


async def update(conn: asyncpg.Connection, *, customer_id: uuid.UUID, values: dict) -> dict[str, Any]:
    """Write the changed values, bump the version and the update time."""
    columns = _columns(values)
    assignments = "".join(f"{name} = ${i}, " for i, name in enumerate(columns, start=2))
    return as_customer(await conn.fetchrow(
        f"UPDATE customers SET {assignments}version = version + 1, updated_at = now()"
        f" WHERE id = $1 RETURNING {COLUMNS}",
        customer_id, *columns.values(),
    ))


async def id_by_phone(conn: asyncpg.Connection, phone: str) -> uuid.UUID | None:
    return await conn.fetchval("SELECT id FROM customers WHERE phone = $1", phone)


async def get_visible(conn: asyncpg.Connection, *, customer_id: uuid.UUID, user_id: uuid.UUID,
                      is_admin: bool, is_manager: bool, unit_path: str) -> dict[str, Any] | None:
    return as_customer(await conn.fetchrow(
        f"SELECT {_C_COLUMNS} FROM customers c WHERE c.id = $1 AND c.deleted_at IS NULL AND {VISIBLE_TO_CALLER}",
        customer_id, is_admin, user_id, is_manager, unit_path,
    ))


async def lock_visible(conn: asyncpg.Connection, *, customer_id: uuid.UUID, user_id: uuid.UUID,
                       is_admin: bool, is_manager: bool,
                       unit_path: str) -> tuple[dict[str, Any], bool] | None:
    """The visible row, locked for update, and whether the caller may edit it; None if invisible."""
    row = await conn.fetchrow(
        f"SELECT {_C_COLUMNS}, {EDITABLE_BY_CALLER} AS editable FROM customers c"
        f" WHERE c.id = $1 AND c.deleted_at IS NULL AND {VISIBLE_TO_CALLER} FOR UPDATE",
        customer_id, is_admin, user_id, is_manager, unit_path,
    )
    return (as_customer(row), row["editable"]) if row else None


async def refers_back(conn: asyncpg.Connection, *, customer_id: uuid.UUID, referrer_id: uuid.UUID) -> bool:
    """Whether `customer_id` is the referrer or one of the referrer's ancestors (a cycle)."""
    return bool(await conn.fetchval(
        "WITH RECURSIVE chain(id, referred_by, depth) AS ("
        "   SELECT id, referred_by, 0 FROM customers WHERE id = $2"
        "   UNION ALL SELECT c.id, c.referred_by, chain.depth + 1 FROM customers c"
        "   JOIN chain ON c.id = chain.referred_by WHERE chain.depth < 1000)"
        " SELECT true FROM chain WHERE id = $1 LIMIT 1",
        customer_id, referrer_id,
    ))
