"""Customer use cases. Each is one unit of work (crmkit.unit_of_work): rules, store writes, outbox rows."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
from pydantic import BaseModel

from crmkit import directory
from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, Forbidden, NotFound
from crmkit.ids import new_id
from crmkit.unit_of_work import UnitOfWork
from crmkit.versions import check_version

from crm_customers import events
from crm_customers.domain.attributes import define_attribute
from crm_customers.domain.errors import FieldProblem, RuleViolation, problem
from crm_customers.domain.fields import clean_text
from crm_customers.domain.ownership import Candidate, OwnerNotInReach, assigns_others, check_owner, owns_by_default
from crm_customers.domain.record import Configuration, changed_fields, check_record, merge_attributes
from crm_customers.handlers.problems import SOURCE, unprocessable
from crm_customers.store import configuration as config_store
from crm_customers.store import counts as counts_store
from crm_customers.store import customers as store

PHONE_KEY = "customers_phone_key"


async def _phone_exists(pool: asyncpg.Pool, *, phone: str, principal: Principal) -> Conflict:
    """The conflict of a phone another customer holds, read after the refused transaction."""
    async with pool.acquire() as conn:
        existing_id = await store.id_by_phone(conn, phone)
        visible = existing_id and await store.get_visible(conn, customer_id=existing_id, principal=principal)
    if visible:
        details: dict[str, str | bool] = {"existing_id": str(existing_id)}
    elif existing_id and principal.is_admin:  # soft-deleted: only an admin may find and restore it
        details = {"existing_id": str(existing_id), "existing_deleted": True}
    else:
        details = {}
    return Conflict("phone_exists", params={"phone": phone}, details=details)


async def configuration(conn: asyncpg.Connection) -> Configuration:
    definitions = [define_attribute(**dict(row)) for row in await config_store.attribute_definitions(conn)]
    statuses = await config_store.status_keys(conn)
    return Configuration(
        status_keys=frozenset(statuses), default_status=statuses[0] if statuses else None,
        label_keys=frozenset(await config_store.label_keys(conn)),
        label_categories=await config_store.label_categories(conn),
        group_ids=frozenset(await config_store.group_ids(conn)),
        attributes=tuple(definitions),
    )


# Ownership


def _owned_by_caller(principal: Principal) -> dict[str, Any]:
    return {"owner_id": principal.user_id, "owner_unit_id": principal.unit_id,
            "owner_unit_path": principal.unit_path or None}


def _unassigned(unit_id: uuid.UUID | None, unit_path: str | None) -> dict[str, Any]:
    return {"owner_id": None, "owner_unit_id": unit_id, "owner_unit_path": unit_path or None}


async def _candidate(conn: asyncpg.Connection, user_id: uuid.UUID) -> Candidate | None:
    user = await directory.get_user(conn, user_id)
    return Candidate(user["id"], user["unit_id"], user["unit_path"], user["active"]) if user else None


async def _owned_by(conn: asyncpg.Connection, principal: Principal, owner_id: uuid.UUID,
                    problems: list[FieldProblem]) -> dict[str, Any] | None:
    """Owner columns for an explicit owner, or None with a problem when out of the caller's reach."""
    if owner_id == principal.user_id:
        return _owned_by_caller(principal)
    try:
        owner = check_owner(principal, await _candidate(conn, owner_id))
    except RuleViolation as error:
        problems.append(problem("owner_id", error))
        return None
    return {"owner_id": owner.id, "owner_unit_id": owner.unit_id, "owner_unit_path": owner.unit_path}


async def _owner_on_create(conn: asyncpg.Connection, principal: Principal, owner_id: uuid.UUID | None,
                           problems: list[FieldProblem]) -> dict[str, Any]:
    """A rep owns what they create; managers and admins choose an owner in reach or leave it
    unassigned (the customer then belongs to the creator's unit)."""
    if owner_id is not None:
        return await _owned_by(conn, principal, owner_id, problems) or {}
    if owns_by_default(principal):
        return _owned_by_caller(principal)
    return _unassigned(principal.unit_id, principal.unit_path)


async def _owner_on_update(conn: asyncpg.Connection, principal: Principal, current: dict[str, Any],
                           owner_id: uuid.UUID | None, problems: list[FieldProblem]) -> dict[str, Any]:
    if owner_id == current["owner_id"]:
        return {}
    if owner_id is not None:
        return await _owned_by(conn, principal, owner_id, problems) or {}
    if not assigns_others(principal):
        problems.append(problem("owner_id", OwnerNotInReach(None)))
        return {}
    return _unassigned(current["owner_unit_id"], current["owner_unit_path"])


async def _referrer_problems(conn: asyncpg.Connection, principal: Principal, *, referrer_id: uuid.UUID | None,
                             customer_id: uuid.UUID) -> list[FieldProblem]:
    """A referrer must be a customer the caller may see, and not close a loop of referrals."""
    if referrer_id is None:
        return []
    if not await store.get_visible(conn, customer_id=referrer_id, principal=principal):
        return [("referred_by", "unknown_customer", {})]
    if await store.refers_back(conn, customer_id=customer_id, referrer_id=referrer_id):
        return [("referred_by", "referral_cycle", {})]
    return []


# Use cases


async def create_customer(pool: asyncpg.Pool, *, principal: Principal, **values: Any) -> dict[str, Any]:
    """Create from the built-in fields, status, labels, groups, attributes, `owner_id` and
    `referred_by`; every problem is reported in one 422."""
    owner_id, referred_by = values.pop("owner_id", None), values.pop("referred_by", None)
    customer_id = new_id()  # time-ordered: every service's indexes by customer grow at one edge
    try:
        async with UnitOfWork(pool, source=SOURCE) as uow:
            conn = uow.conn
            config = await configuration(conn)
            record, problems = check_record(values, partial=False, config=config)
            owner = await _owner_on_create(conn, principal, owner_id, problems)
            problems += await _referrer_problems(conn, principal, referrer_id=referred_by, customer_id=customer_id)
            if problems:
                raise unprocessable(problems)
            now = datetime.now(UTC)
            row = await store.insert(conn, values={
                "id": customer_id, **record, **owner, "referred_by": referred_by, "created_by": principal.user_id,
                "created_at": now, "updated_at": now,
            })
            await uow.publish(events.CustomerCreated(**row), subject=row["id"])
            return row
    except asyncpg.UniqueViolationError as error:
        if error.constraint_name != PHONE_KEY:
            raise
        raise await _phone_exists(pool, phone=record["phone"], principal=principal) from None


async def get_customer(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        row = await store.get_visible(conn, customer_id=customer_id, principal=principal)
    if row is None:
        raise NotFound()
    return row


async def get_customer_detail(pool: asyncpg.Pool, *, principal: Principal,
                              customer_id: uuid.UUID) -> tuple[dict[str, Any], dict[str, int]]:
    """The record and the counts of its read model (C-14), on one connection."""
    async with pool.acquire() as conn:
        row = await store.get_visible(conn, customer_id=customer_id, principal=principal)
        if row is None:
            raise NotFound()
        return row, await counts_store.get_counts(conn, customer_id)


async def _editable(conn: asyncpg.Connection, principal: Principal, customer_id: uuid.UUID,
                    expected_version: int | None) -> dict[str, Any]:
    """The locked row the caller may edit at the version they read: else 404, 403 or 412."""
    found = await store.lock_visible(conn, customer_id=customer_id, principal=principal)
    if found is None:
        raise NotFound()
    current, editable = found
    if not editable:
        raise Forbidden("not_editable")
    check_version(current["version"], expected_version)
    return current


async def update_customer(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID,
                          expected_version: int | None, changes: dict[str, Any]) -> dict[str, Any]:
    """Partial update (`None` clears a field); `expected_version` None means unconditional."""
    values = dict(changes)
    try:
        async with UnitOfWork(pool, source=SOURCE) as uow:
            conn = uow.conn
            current = await _editable(conn, principal, customer_id, expected_version)
            record, problems = check_record(
                {k: v for k, v in values.items() if k not in ("owner_id", "referred_by")},
                partial=True, config=await configuration(conn), held_labels=current["labels"])
            if "attributes" in record:
                record["attributes"] = merge_attributes(current["attributes"], record["attributes"])
            if "owner_id" in values:
                record.update(await _owner_on_update(conn, principal, current, values["owner_id"], problems))
            if "referred_by" in values:
                record["referred_by"] = values["referred_by"]
                problems += await _referrer_problems(conn, principal, referrer_id=values["referred_by"],
                                                     customer_id=customer_id)
            if problems:
                raise unprocessable(problems)
            return await _write_changes(uow, current, record)
    except asyncpg.UniqueViolationError as error:
        if error.constraint_name != PHONE_KEY:
            raise
        raise await _phone_exists(pool, phone=record["phone"], principal=principal) from None


async def _write_changes(uow: UnitOfWork, current: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    changed = changed_fields(current, record)
    if not changed:
        return current
    row = await store.update(uow.conn, customer_id=current["id"], values={name: record[name] for name in changed})
    await uow.publish(events.CustomerUpdated(**row, changed=changed), subject=row["id"])
    for detail in _change_details(current, row, changed):
        await uow.publish(detail, subject=row["id"])
    return row


def _change_details(current: dict[str, Any], row: dict[str, Any], changed: list[str]) -> list[BaseModel]:
    """The specific events an edit implies, besides `customer.updated`."""
    details: list[BaseModel] = []
    if "status" in changed:
        details.append(_status_changed(row, current["status"], None))
    if "labels" in changed:
        before, after = set(current["labels"]), set(row["labels"])
        details.append(events.CustomerLabelsChanged(
            customer_id=row["id"], added=sorted(after - before), removed=sorted(before - after),
            labels=row["labels"], version=row["version"]))
    if "owner_id" in changed or "holder_id" in changed:
        details.append(events.CustomerOwnerChanged(
            customer_id=row["id"], from_owner_id=current["owner_id"], to_owner_id=row["owner_id"],
            owner_unit_id=row["owner_unit_id"], owner_unit_path=row["owner_unit_path"],
            from_holder_id=current["holder_id"], to_holder_id=row["holder_id"], reason="customer.updated",
            version=row["version"]))
    return details


async def delete_customer(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID,
                          expected_version: int | None) -> None:
    """Soft delete by someone who may edit it (C-10); restorable by an admin for 30 days."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        await _editable(uow.conn, principal, customer_id, expected_version)
        row = await store.soft_delete(uow.conn, customer_id=customer_id, deleted_by=principal.user_id)
        await uow.publish(events.CustomerDeleted(
            customer_id=customer_id, deleted_at=row["deleted_at"], deleted_by=principal.user_id,
            version=row["version"]), subject=customer_id)


def _status_changed(row: dict[str, Any], previous: str, note: str | None) -> events.CustomerStatusChanged:
    return events.CustomerStatusChanged(
        customer_id=row["id"], from_=previous, to=row["status"], note=note, version=row["version"],
        owner_id=row["owner_id"], owner_unit_path=row["owner_unit_path"],
    )


def _status_problems(status: object, note: object, config: Configuration) -> tuple[dict[str, Any], list[FieldProblem]]:
    record, problems = check_record({"status": status}, partial=True, config=config)
    try:
        record["note"] = clean_text("note", note) if note is not None else None
    except RuleViolation as error:
        problems.append(problem("note", error))
    return record, problems


async def change_status(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID, status: object,
                        note: object = None, expected_version: int | None = None) -> dict[str, Any]:
    """Set the status and record the note in the customer's history (C-5): one version, one
    `customer.status_changed` event, even when the status stays the same (the note is kept)."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current = await _editable(uow.conn, principal, customer_id, expected_version)
        checked, problems = _status_problems(status, note, await configuration(uow.conn))
        if problems:
            raise unprocessable(problems)
        row = await store.update(uow.conn, customer_id=customer_id, values={"status": checked["status"]})
        await uow.publish(_status_changed(row, current["status"], checked["note"]), subject=row["id"])
        return row


async def _viewer_problems(conn: asyncpg.Connection, user_id: uuid.UUID) -> list[FieldProblem]:
    user = await directory.get_user(conn, user_id)
    return [] if user and user["active"] else [("user_id", "unknown_user", {})]


async def change_viewers(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID, user_id: uuid.UUID,
                         add: bool) -> dict[str, Any]:
    """Add or remove a viewer (C-9): someone who may edit shares the customer for reading."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current = await _editable(uow.conn, principal, customer_id, None)
        if add and (problems := await _viewer_problems(uow.conn, user_id)):
            raise unprocessable(problems)
        viewers = [v for v in current["viewer_ids"] if v != user_id] + ([user_id] if add else [])
        return await _write_changes(uow, current, {"viewer_ids": viewers})
