"""SQL of an import chunk (`handlers.imports`): set-based, a few statements per chunk whatever its
size, never one round trip per row.

1. `holders_of_phones`: the customers holding the chunk's phones, with whether the importer may
   edit each — `editable_sql` of `store.customers`, the one definition of who edits what, and
   never a deleted customer (its phone stays taken until it is purged: the unique index covers
   deleted rows, and reviving or overwriting someone's deleted customer is not an import's call).
   Locked in id order, as every writer of many customers locks them.
2. `write_chunk`: the rows to create and to update go to a temporary table by one COPY; one
   INSERT … SELECT creates (ids UUIDv7 from the handler; owner, unit, group and creator the same
   for the chunk), one UPDATE … FROM updates the mapped non-empty values (COALESCE keeps the
   rest; attributes merged; the group added; never the owner; version + 1 as every update).
   Their search rows (`customer_search`) are written by its triggers.

COPY goes through a staging table because asyncpg's binary COPY has no jsonb encoder (attributes
travel as text and are cast). Measured cost of a chunk: `handlers.imports.apply_import_chunk`.
"""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg
import orjson

from crm_customers.domain.import_rows import Existing
from crm_customers.store.configuration import COLUMNS as CONFIG_COLUMNS
from crm_customers.store.customers import Access, Params, editable_sql

RECORD_COLUMNS = (
    "name", "phone", "email", "birthday", "province_code", "province_name", "gender", "address", "source",
    "customer_type", "company_name", "tax_code", "position", "note", "party_type", "organization_size",
    "founding_date", "industry", "description", "contact_person", "lifecycle", "status", "labels",
)
_STAGING = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS import_rows ("
    " id uuid, created boolean, name text, phone text, email text, birthday date,"
    " province_code integer, province_name text, gender text, address text, source text, customer_type text,"
    " company_name text, tax_code text, position text, note text, party_type text, organization_size text,"
    " founding_date date, industry text, description text, contact_person text, lifecycle text, status text,"
    " labels text[], attributes text) ON COMMIT DELETE ROWS"
)
STAGING_COLUMNS = ("id", "created", *RECORD_COLUMNS, "attributes")
# what the events need of each written customer
WRITTEN = "c.id, c.version, c.owner_id, c.owner_unit_id, c.owner_unit_path, c.name, c.phone, c.province_code"
# an update keeps every value the row does not give (the staging column is NULL)
_NEW_VALUES = ", ".join("COALESCE(s.labels, '{}')" if name == "labels" else f"s.{name}" for name in RECORD_COLUMNS)
_KEEP = ", ".join(f"{name} = COALESCE(s.{name}, c.{name})" for name in RECORD_COLUMNS if name != "province_name")


async def holders_of_phones(conn: asyncpg.Connection, *, phones: Sequence[str], access: Access,
                            lock: bool) -> dict[str, Existing]:
    """phone → the customer holding it (deleted ones too) and whether the importer may edit it;
    locked for update in id order unless `lock` is False (a dry run writes nothing)."""
    params = Params([list(phones)])
    editable = editable_sql(access, params)
    rows = await conn.fetch(
        f"SELECT c.id, c.phone, (c.deleted_at IS NULL AND {editable}) AS editable FROM customers c"
        f" WHERE c.phone = ANY($1::text[]) ORDER BY c.id{' FOR UPDATE' if lock else ''}", *params)
    return {r["phone"]: Existing(id=r["id"], editable=r["editable"]) for r in rows}


_PROVINCE_CODE = 2 + RECORD_COLUMNS.index("province_code")  # in a staging row
_PROVINCE_NAME = 2 + RECORD_COLUMNS.index("province_name")


def _staged(customer_id: uuid.UUID | str, created: bool, values: dict[str, Any]) -> tuple[Any, ...]:
    """A row of the staging table: record values in column form (province as code and name,
    attributes as JSON text), None where the row gave nothing. (`map` over the columns, not a
    merged dict and a generator: ~3 µs a row less, paid for every row of an import.)"""
    row = [customer_id, created, *map(values.get, RECORD_COLUMNS), None]
    province = values.get("province")
    row[_PROVINCE_CODE], row[_PROVINCE_NAME] = (province["code"], province["name"]) if province else (None, None)
    attributes = values.get("attributes")
    if attributes:
        row[-1] = orjson.dumps(attributes).decode()
    return tuple(row)


async def write_chunk(conn: asyncpg.Connection, *, creates: Sequence[tuple[uuid.UUID | str, dict[str, Any]]],
                      updates: Sequence[tuple[uuid.UUID, dict[str, Any]]], owner: dict[str, Any],
                      group_id: uuid.UUID | None, importer_id: uuid.UUID) -> dict[str, asyncpg.Record]:
    """Create `creates` (new id, values) and update `updates` (id, values); returns each written
    customer's id, version, owner and unit, by the id's 32 hex digits (`new_ids`' form: a
    uuid.UUID made and hashed per row cost ~7 µs a row)."""
    await conn.execute(_STAGING)
    await conn.copy_records_to_table("import_rows", columns=STAGING_COLUMNS, records=[
        *(_staged(i, True, values) for i, values in creates),
        *(_staged(i, False, values) for i, values in updates)])
    written = await _insert_created(conn, owner=owner, group_id=group_id, importer_id=importer_id) if creates else []
    if updates:
        written += await _update_found(conn, group_id=group_id)
    return {r["id"].hex: r for r in written}


async def _insert_created(conn: asyncpg.Connection, *, owner: dict[str, Any], group_id: uuid.UUID | None,
                          importer_id: uuid.UUID) -> list[asyncpg.Record]:
    columns = ", ".join(RECORD_COLUMNS)
    return await conn.fetch(
        f"INSERT INTO customers AS c (id, {columns}, groups, attributes, owner_id, owner_unit_id, owner_unit_path,"
        "   created_by, created_at, updated_at)"
        f" SELECT s.id, {_NEW_VALUES},"
        "   CASE WHEN $1::uuid IS NULL THEN '{}'::uuid[] ELSE ARRAY[$1::uuid] END,"
        "   COALESCE(s.attributes::jsonb, '{}'), $2, $3, $4, $5, now(), now()"
        " FROM import_rows s WHERE s.created ORDER BY s.id"
        f" RETURNING {WRITTEN}",
        group_id, owner["owner_id"], owner["owner_unit_id"], owner["owner_unit_path"], importer_id)


async def _update_found(conn: asyncpg.Connection, *, group_id: uuid.UUID | None) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"UPDATE customers c SET {_KEEP},"
        "   province_name = CASE WHEN s.province_code IS NULL THEN c.province_name ELSE s.province_name END,"
        "   attributes = c.attributes || COALESCE(s.attributes::jsonb, '{}'),"
        "   groups = CASE WHEN $1::uuid IS NULL OR c.groups @> ARRAY[$1::uuid] THEN c.groups"
        "     ELSE c.groups || $1::uuid END,"
        "   version = c.version + 1, updated_at = now()"
        " FROM import_rows s WHERE c.id = s.id AND NOT s.created"
        f" RETURNING {WRITTEN}",
        group_id)


async def create_group_once(conn: asyncpg.Connection, *, group_id: uuid.UUID, values: dict[str, Any]) -> asyncpg.Record | None:
    """Create the job's new group under its id (the same for every chunk of the job); None when
    that id, or a group of that name (unique, case-insensitive), exists already."""
    return await conn.fetchrow(
        "INSERT INTO customer_groups (id, name, description, created_by) VALUES ($1, $2, $3, $4)"
        f" ON CONFLICT DO NOTHING RETURNING {CONFIG_COLUMNS['group']}",
        group_id, values["name"], values["description"], values["created_by"])


async def group_for(conn: asyncpg.Connection, *, group_id: uuid.UUID, name: str) -> uuid.UUID | None:
    """The job's group: the one of its id, else the existing group of that name."""
    return await conn.fetchval(
        "SELECT id FROM customer_groups WHERE id = $1 OR lower(name) = lower($2) ORDER BY id = $1 DESC LIMIT 1",
        group_id, name)
