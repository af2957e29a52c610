"""SQL for the customer aggregate."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg

from crmkit.access import subtree_path, within_subtree_sql
from crmkit.auth import Principal

COLUMNS = (
    "id, name, phone, email, birthday, province_code, province_name, gender, address, source, customer_type,"
    " company_name, tax_code, position, note, party_type, organization_size, founding_date, industry,"
    " description, contact_person, lifecycle, status, labels, groups, attributes, owner_id, owner_unit_id,"
    " owner_unit_path, holder_id, viewer_ids, referred_by, version, created_at, updated_at"
)
_C_COLUMNS = ", ".join(f"c.{name.strip()}" for name in COLUMNS.split(","))

class Params(list[Any]):
    """Positional arguments of one statement: `params.add(value)` appends and returns `$n`."""

    def add(self, value: Any) -> str:
        self.append(value)
        return f"${len(self)}"


@dataclass(frozen=True)
class Access:
    """What a caller may see and edit, derived from the principal once (see `access_of`).

    The one definition of visibility (C-9), used by reads by id, updates, status, viewers, lists,
    search, and later bulk actions and exports, so that they always agree:

    * people: a row they own, hold (`holder_id`) or view (`viewer_ids`); a manager also every row
      whose `owner_unit_path` lies in their unit subtree (assigned or not); an admin every row;
    * integrator service accounts (`kind == "service"`): every row with permission
      `customers.read`, none without; writing needs `customers.write` on top (and the read);
    * soft-deleted rows are invisible unless a caller asks for them explicitly.

    An unassigned customer keeps a unit: the creator's unit when created without owner, the last
    owner's unit when the owner is removed; managers above that unit and admins see it.
    """
    user_id: uuid.UUID | None
    sees_all: bool = False
    edits_all: bool = False
    personal: bool = True          # own / held / shared rows count
    subtree: str | None = None     # a manager's unit path, "/…/" (never empty or "/")

    @property
    def sees_nothing(self) -> bool:
        return not self.sees_all and not self.personal and self.subtree is None


READ_PERMISSION, WRITE_PERMISSION = "customers.read", "customers.write"


def access_of(principal: Principal) -> Access:
    if principal.kind == "service":
        reads = principal.can(READ_PERMISSION)
        return Access(user_id=principal.user_id, sees_all=reads,
                      edits_all=reads and principal.can(WRITE_PERMISSION), personal=False)
    if principal.is_admin:
        return Access(user_id=principal.user_id, sees_all=True, edits_all=True)
    subtree = subtree_path(principal.unit_path) if principal.is_manager else None
    return Access(user_id=principal.user_id, subtree=subtree)


def subtree_sql(path: str, params: Params, column: str = "c.owner_unit_path") -> str:
    """`column` lies in the subtree of `path` (see crmkit.access: the index-friendly range form)."""
    return within_subtree_sql(column, params.add(path))


def shared_with_sql(user: str, alias: str = "c") -> str:
    """Shared with the user (placeholder `user`). `viewer_ids <> '{}'` names the predicate of the
    partial index (migration 0015) so that the planner may use it."""
    return f"({alias}.viewer_ids @> ARRAY[{user}]::uuid[] AND {alias}.viewer_ids <> '{{}}')"


def visible_sql(access: Access, params: Params, *, alias: str = "c", include_deleted: bool = False) -> str:
    """The row `alias` is visible to the caller; appends its arguments to `params`."""
    live = "" if include_deleted else f"{alias}.deleted_at IS NULL AND "
    if access.sees_all:
        return f"({live}TRUE)"
    reach: list[str] = []
    if access.personal and access.user_id is not None:
        me = params.add(access.user_id)
        reach += [f"{alias}.owner_id = {me}", f"{alias}.holder_id = {me}",
                  shared_with_sql(me, alias)]
    if access.subtree:
        reach.append(subtree_sql(access.subtree, params, f"{alias}.owner_unit_path"))
    return f"({live}({' OR '.join(reach)}))" if reach else "FALSE"


def editable_sql(access: Access, params: Params, *, alias: str = "c") -> str:
    """The caller may edit the (visible) row: admin, owner, a manager above the owner's unit, or
    a service account with customers.write (C-9)."""
    if access.edits_all:
        return "TRUE"
    reach: list[str] = []
    if access.personal and access.user_id is not None:
        reach.append(f"{alias}.owner_id = {params.add(access.user_id)}")
    if access.subtree:
        reach.append(subtree_sql(access.subtree, params, f"{alias}.owner_unit_path"))
    return f"({' OR '.join(reach)})" if reach else "FALSE"


def as_customer(row: asyncpg.Record) -> dict[str, Any]:
    """The record as the API and the events show it: province as `{code, name}`."""
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


async def insert(conn: asyncpg.Connection, *, values: dict[str, Any]) -> dict[str, Any]:
    columns = _columns(values)
    placeholders = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
    return as_customer(await conn.fetchrow(
        f"INSERT INTO customers ({', '.join(columns)}) VALUES ({placeholders}) RETURNING {COLUMNS}",
        *columns.values(),
    ))


async def update(conn: asyncpg.Connection, *, customer_id: uuid.UUID, values: dict[str, Any]) -> dict[str, Any]:
    """Write the changed values, bump the version and the update time."""
    columns = _columns(values)
    assignments = "".join(f"{name} = ${i}, " for i, name in enumerate(columns, start=2))
    return as_customer(await conn.fetchrow(
        f"UPDATE customers SET {assignments}version = version + 1, updated_at = now()"
        f" WHERE id = $1 RETURNING {COLUMNS}",
        customer_id, *columns.values(),
    ))


async def lock_owners(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """Owner and holder of the live customers among `ids`, locked in id order (as every writer of
    many customers locks them: no deadlocks)."""
    rows = await conn.fetch(
        "SELECT id, owner_id, owner_unit_id, owner_unit_path, holder_id, version, assignment_sequence FROM customers"
        " WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL ORDER BY id FOR UPDATE", ids)
    return [dict(r) for r in rows]


async def update_owners(conn: asyncpg.Connection, *, rows: list[dict[str, Any]], sequence: int | None = None
                        ) -> dict[uuid.UUID, int]:
    """Set owner and holder columns of many (locked) customers in one statement, version + 1, and
    the assignment event's `sequence` when it has one; returns each one's new version."""
    if not rows:
        return {}
    updated = await conn.fetch(
        "UPDATE customers c SET owner_id = v.owner_id, owner_unit_id = v.owner_unit_id,"
        "   owner_unit_path = v.owner_unit_path, holder_id = v.holder_id, version = c.version + 1, updated_at = now(),"
        "   assignment_sequence = coalesce($6::bigint, c.assignment_sequence)"
        " FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[])"
        "   AS v(id, owner_id, owner_unit_id, owner_unit_path, holder_id)"
        " WHERE c.id = v.id RETURNING c.id, c.version",
        *([r[name] for r in rows] for name in ("id", "owner_id", "owner_unit_id", "owner_unit_path", "holder_id")),
        sequence)
    return {r["id"]: r["version"] for r in updated}


async def set_assignment_sequence(conn: asyncpg.Connection, *, ids: list[uuid.UUID], sequence: int) -> None:
    """Remember an applied assignment event on (locked) customers it did not move (A-7): no other
    column changes, and the column is in no index, so the update can stay HOT."""
    if ids:
        await conn.execute("UPDATE customers SET assignment_sequence = $2 WHERE id = ANY($1::uuid[])", ids, sequence)


async def soft_delete(conn: asyncpg.Connection, *, customer_id: uuid.UUID, deleted_by: uuid.UUID) -> asyncpg.Record:
    return await conn.fetchrow(
        "UPDATE customers SET deleted_at = now(), deleted_by = $2, version = version + 1, updated_at = now()"
        " WHERE id = $1 RETURNING deleted_at, version", customer_id, deleted_by,
    )


async def id_by_phone(conn: asyncpg.Connection, phone: str) -> uuid.UUID | None:
    return await conn.fetchval("SELECT id FROM customers WHERE phone = $1", phone)


def _access(access: Access | None, principal: Principal | None) -> Access:
    if access is not None:
        return access
    if principal is None:
        raise TypeError("access or principal is required")
    return access_of(principal)


async def get_visible(conn: asyncpg.Connection, *, customer_id: uuid.UUID, access: Access | None = None,
                      principal: Principal | None = None) -> dict[str, Any] | None:
    """The live row if the caller may see it (`access`, or a principal)."""
    params = Params([customer_id])
    visible = visible_sql(_access(access, principal), params)
    row = await conn.fetchrow(f"SELECT {_C_COLUMNS} FROM customers c WHERE c.id = $1 AND {visible}", *params)
    return as_customer(row) if row else None


async def lock_visible(conn: asyncpg.Connection, *, customer_id: uuid.UUID, access: Access | None = None,
                       principal: Principal | None = None) -> tuple[dict[str, Any], bool] | None:
    """The visible row, locked for update, and whether the caller may edit it; None if invisible."""
    access = _access(access, principal)
    params = Params([customer_id])
    visible = visible_sql(access, params)
    editable = editable_sql(access, params)
    row = await conn.fetchrow(
        f"SELECT {_C_COLUMNS}, {editable} AS editable FROM customers c WHERE c.id = $1 AND {visible} FOR UPDATE",
        *params)
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
