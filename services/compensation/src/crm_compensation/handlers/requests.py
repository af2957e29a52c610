"""Requests for compensation ("yêu cầu bù", P-2 … P-3): created as drafts once the eligibility
rules pass, with an evidence snapshot counted from the call history; changed (eligibility
checked again) or withdrawn while drafts; read with their history (P-6). Each transition writes
its history row and publishes its event in the same unit of work as the change.

Creation locks the package row, so that of concurrent requests in one package each counts the
quota after the others committed (the quota holds) and the second request for a lead meets the
first (one draft; the unique index `requests_one_live_per_lead` is the backstop)."""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, Forbidden, Invalid, NotFound
from crmkit.pagination import page_of, time_id_after, time_id_cursor
from crmkit.unit_of_work import UnitOfWork
from crmkit.versions import check_version

from crm_compensation import events
from crm_compensation.domain import eligibility
from crm_compensation.handlers import SOURCE
from crm_compensation.store import calls as calls_store
from crm_compensation.store import packages as packages_store
from crm_compensation.store import reasons as reasons_store
from crm_compensation.store import refs as refs_store
from crm_compensation.store import requests as store
from crm_compensation.store.access import Access, access_of, manages


def as_request(row: asyncpg.Record | dict[str, Any]) -> dict[str, Any]:
    """The row as the API shows it: the decision as one object once decided."""
    request = {name: row[name] for name in store.COLUMNS.replace(" ", "").split(",")}
    request["decision"] = ({"decision": row["status"], "decided_by": row["decided_by"], "decided_at": row["decided_at"],
                            "note": row["decision_note"], "auto": row["auto_rule_id"] is not None,
                            "auto_rule_id": row["auto_rule_id"]}
                           if row["status"] in ("approved", "rejected") else None)
    return request


def event_fields(row: asyncpg.Record | dict[str, Any], note: str | None = None) -> dict[str, Any]:
    """The fields of every request event (`owner_id`: the requester, whom interactions notifies)."""
    return {"request_id": row["id"], "customer_id": row["customer_id"], "package_id": row["package_id"],
            "batch_id": row["batch_id"], "reason_code": row["reason_code"], "status": row["status"],
            "owner_id": row["requester_id"], "version": row["version"], "note": note}


def _policy(package: asyncpg.Record) -> eligibility.Policy:
    return eligibility.Policy(reasons=tuple(package["reasons"]), window_days=package["window_days"],
                              max_share=package["max_share"], min_call_attempts=package["min_call_attempts"])


def _asker(principal: Principal, package: asyncpg.Record) -> eligibility.Asker:
    unit_owned = package["owner_id"] is None
    return eligibility.Asker(user_id=principal.user_id, is_admin=principal.is_admin,
                             manages_package=unit_owned and principal.is_manager
                             and manages(principal, owner_unit_path=package["owner_unit_path"]))


async def _case(conn: asyncpg.Connection, principal: Principal, package: asyncpg.Record, *, customer_id: uuid.UUID,
                customer_owner_id: uuid.UUID | None, reason_code: str, now: datetime,
                besides: uuid.UUID | None = None) -> tuple[eligibility.Case, dict[str, Any]]:
    """What the rules read, and the call summary (the evidence's) since the lead's delivery: three
    queries (the package's facts, the reasons' catalogue, the calls) — the package row is locked
    meanwhile, so every round trip here holds the package's other requests back."""
    facts = await store.lead_case(conn, package_id=package["id"], customer_id=customer_id, besides=besides)
    catalogue = {r["code"]: r for r in await reasons_store.all_reasons(conn)}
    reason = catalogue.get(reason_code)
    delivered_at = facts["delivered_at"]
    calls = (await calls_store.summary(conn, customer_id=customer_id, since=delivered_at) if delivered_at
             else {"call_attempts": 0, "calls_by_outcome": {}, "last_call_at": None})
    case = eligibility.Case(
        asker=_asker(principal, package), now=now, delivered_at=delivered_at, package_owner_id=package["owner_id"],
        customer_owner_id=customer_owner_id, policy=_policy(package), reason_code=reason_code,
        reason=eligibility.Reason(reason["code"], reason["counts_calls"], reason["active"]) if reason else None,
        active_reasons=tuple(code for code, r in catalogue.items() if r["active"]),
        existing=tuple(eligibility.ExistingRequest(request_id, status) for request_id, status
                       in zip(facts["existing_ids"], facts["existing_statuses"], strict=True)),
        used=facts["used"], leads=facts["leads"], attempts=calls["call_attempts"])
    return case, calls


def _refuse(case: eligibility.Case) -> None:
    refusal = eligibility.refusal(case)
    if refusal is not None:
        texts = {name: ", ".join(value) if isinstance(value, list) else value for name, value in refusal.details.items()}
        if "max_share" in texts:  # as the texts say it: a percentage of the leads
            texts["max_share"] = f"{texts['max_share'] * 100:g}%"
        raise Invalid(code=refusal.code, params=texts, details=refusal.details)


def _evidence(case: eligibility.Case, calls: dict[str, Any], ref: asyncpg.Record | None) -> dict[str, Any]:
    assert case.delivered_at is not None
    return {"delivered_at": case.delivered_at, "deadline": eligibility.deadline(case.delivered_at,
                                                                                  case.policy.window_days),
            **calls, "customer": {"full_name": ref["full_name"] if ref else None,
                                  "phone": ref["phone"] if ref else None}}


async def _live_ref(conn: asyncpg.Connection, customer_id: uuid.UUID) -> asyncpg.Record | None:
    """The customer as this service knows it (None: not known yet); a deleted one is not found."""
    ref = await refs_store.get(conn, customer_id)
    if ref is not None and ref["deleted"]:
        raise NotFound()
    return ref


async def _package_for(conn: asyncpg.Connection, principal: Principal, access: Access, *, customer_id: uuid.UUID,
                       customer_owner_id: uuid.UUID | None) -> uuid.UUID:
    """Without `package_id`: the newest visible package holding the customer that the caller may ask in."""
    holding = await packages_store.newest_holding(conn, access, customer_id)
    if not holding:
        raise Invalid(code="not_in_package")
    for package in holding:
        if eligibility.may_ask(_asker(principal, package), customer_owner_id=customer_owner_id,
                               package_owner_id=package["owner_id"]):
            return package["id"]
    raise Invalid(code="not_requester")


async def create(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID, package_id: uuid.UUID | None,
                 reason_code: str, reason_text: str | None) -> dict[str, Any]:
    """A draft, once every rule passes (the first broken one refuses, 422 naming it)."""
    access = access_of(principal)
    async with UnitOfWork(pool, source=SOURCE) as uow:
        conn = uow.conn
        ref = await _live_ref(conn, customer_id)
        owner = ref["owner_id"] if ref else None
        if package_id is None:
            package_id = await _package_for(conn, principal, access, customer_id=customer_id, customer_owner_id=owner)
        package = await packages_store.lock(conn, access, package_id)
        if package is None:
            raise NotFound()
        case, calls = await _case(conn, principal, package, customer_id=customer_id, customer_owner_id=owner,
                                  reason_code=reason_code, now=datetime.now(UTC))
        _refuse(case)
        row = await _insert(conn, values={
            "id": uuid.uuid4(), "package_id": package_id, "customer_id": customer_id, "requester_id": principal.user_id,
            "reason_code": reason_code, "reason_text": reason_text, "status": "draft",
            "evidence": _evidence(case, calls, ref)})
        await store.add_history(conn, request_id=row["id"], action="created", from_status=None, to_status="draft",
                                actor_id=principal.user_id, note=reason_text)
        await uow.publish(events.RequestCreated(**event_fields(row, reason_text)), subject=row["id"])
        return as_request(row)


async def _insert(conn: asyncpg.Connection, *, values: dict[str, Any]) -> asyncpg.Record:
    """The unique index refuses a second live request of the lead (a race the package lock should
    have prevented): the same refusal as the rule's."""
    try:
        async with conn.transaction():
            return await store.insert(conn, values=values)
    except asyncpg.UniqueViolationError:
        existing = await store.live_of_lead(conn, package_id=values["package_id"], customer_id=values["customer_id"])
        details = {"request_id": str(existing[0]["id"])} if existing else {}
        raise Invalid(code="already_requested", params=details, details=details) from None


async def get(pool: asyncpg.Pool, *, principal: Principal, request_id: uuid.UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        row = await store.get(conn, access_of(principal), request_id)
    if row is None:
        raise NotFound()
    return as_request(row)


async def list_requests(pool: asyncpg.Pool, *, principal: Principal, package_id: uuid.UUID | None,
                        status: str | None, requester_id: uuid.UUID | None, limit: int, cursor: str | None
                        ) -> tuple[list[dict[str, Any]], str | None]:
    after = time_id_after(cursor)
    async with pool.acquire() as conn:
        rows = await store.list_visible(conn, access_of(principal), package_id=package_id, status=status,
                                        requester_id=requester_id, after=after, limit=limit)
    return page_of([as_request(r) for r in rows], limit, time_id_cursor)


async def history(pool: asyncpg.Pool, *, principal: Principal, request_id: uuid.UUID) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        if await store.get(conn, access_of(principal), request_id) is None:
            raise NotFound()
        return [dict(r) for r in await store.history(conn, request_id)]


async def _draft_to_change(conn: asyncpg.Connection, principal: Principal, request_id: uuid.UUID,
                           expected_version: int | None) -> asyncpg.Record:
    """The visible draft, locked; its requester, an admin or a manager over its package change it."""
    row = await store.get(conn, access_of(principal), request_id, for_update=True)
    if row is None:
        raise NotFound()
    if row["requester_id"] != principal.user_id and not manages(principal, owner_unit_path=row["package_unit_path"]):
        raise Forbidden("not_your_request")
    check_version(row["version"], expected_version)
    if row["status"] != "draft":
        raise Conflict("request_frozen", params={"status": row["status"]}, details={"request_status": row["status"]})
    return row


async def _lock_package_of(conn: asyncpg.Connection, request_id: uuid.UUID) -> asyncpg.Record | None:
    """Every change of a request locks its package first, as creation and submission do: the quota,
    the drafts a submission counts and their versions hold while a change runs."""
    return await packages_store.lock_of_request(conn, request_id)


async def update(pool: asyncpg.Pool, *, principal: Principal, request_id: uuid.UUID, expected_version: int | None,
                 changes: dict[str, Any]) -> dict[str, Any]:
    """A draft's reason or text; the rules are checked again for the new reason, the evidence stays
    the one taken at creation. An admin or a manager over the package may edit another's draft
    (whether the requester may ask is then not judged again)."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        conn = uow.conn
        package = await _lock_package_of(conn, request_id)
        current = await _draft_to_change(conn, principal, request_id, expected_version)
        assert package is not None
        values: dict[str, Any] = {name: changes[name] for name in ("reason_code", "reason_text")
                  if name in changes and not (name == "reason_code" and changes[name] is None)}
        if not values:
            return as_request(current)
        ref = await _live_ref(conn, current["customer_id"])
        case, _ = await _case(conn, principal, package, customer_id=current["customer_id"],
                              customer_owner_id=ref["owner_id"] if ref else None,
                              reason_code=values.get("reason_code", current["reason_code"]), now=datetime.now(UTC),
                              besides=request_id)
        if current["requester_id"] != principal.user_id:
            case = replace(case, asker=replace(case.asker, is_admin=True))
        _refuse(case)
        row = await store.change(conn, request_id=request_id, values=values)
        await store.add_history(conn, request_id=request_id, action="updated", from_status="draft",
                                to_status="draft", actor_id=principal.user_id, note=values.get("reason_text"))
        await uow.publish(events.RequestUpdated(**event_fields(row, values.get("reason_text"))), subject=request_id)
        return as_request(row)


async def withdraw(pool: asyncpg.Pool, *, principal: Principal, request_id: uuid.UUID,
                   expected_version: int | None = None) -> None:
    """A draft withdrawn: it frees its lead for another request and no longer uses the quota."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        await _lock_package_of(uow.conn, request_id)
        current = await _draft_to_change(uow.conn, principal, request_id, expected_version)
        row = await store.change(uow.conn, request_id=request_id, values={"status": "withdrawn"})
        await store.add_history(uow.conn, request_id=request_id, action="withdrawn", from_status=current["status"],
                                to_status="withdrawn", actor_id=principal.user_id)
        await uow.publish(events.RequestWithdrawn(**event_fields(row)), subject=request_id)
