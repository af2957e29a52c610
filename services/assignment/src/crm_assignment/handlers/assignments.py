"""Distribute ("giao việc" / "chia lead", A-3), accept or decline (A-4), let offers expire, recall
(A-5). Each use case is one transaction: the checks, the rows, and the events the customers
service applies to owners and holders (and interactions turns into notifications). A customer is
open in at most one assignment at a time (A-7), enforced by a unique index: of two concurrent
distributions of the same customer, one commits and the other is refused (a conflict naming the customers)."""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import asyncpg

from crmkit import customers_client
from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from crmkit.pagination import page_of, time_id_after, time_id_cursor
from crmkit.unit_of_work import UnitOfWork

from crm_assignment import events
from crm_assignment.domain import distribution
from crm_assignment.handlers import access, jobs, sla
from crm_assignment.store import assignments as store
from crm_assignment.store import refs as refs_store
from crm_assignment.store import territories as territories_store

if TYPE_CHECKING:
    from crmkit.customers_client import CustomerSelection

SOURCE = "assignment"
MAX_CUSTOMERS = 100_000
LISTED_CUSTOMERS = 20  # of the customers a conflict names, the first ones (with their count)
LISTED_UNCOVERED = 100  # of the customers a distribution by province leaves out, the first ones
DEFAULT_ACCEPT_HOURS = 24


def _unprocessable(field: str, code: str, **params: Any) -> Invalid:
    return Invalid(FieldError(field, code, params))


def _exactly_one(**given: Any) -> None:
    """Refuse, naming each of the alternative fields, unless exactly one of them is given."""
    if sum(value is not None for value in given.values()) != 1:
        fields = ", ".join(given)
        raise Invalid(*(FieldError(name, "exactly_one_of", {"fields": fields}) for name in given))


async def _reps(conn: asyncpg.Connection, prefix: str | None, user_ids: list[uuid.UUID]
                ) -> tuple[list[distribution.Rep], dict[uuid.UUID, asyncpg.Record]]:
    """The chosen reps, in the order given (each an active sales user within the caller's reach),
    and their roster rows by id (their units go into the events)."""
    found = {r["user_id"]: r for r in await store.roster(conn, reach=prefix, user_ids=user_ids)}
    missing = [str(u) for u in user_ids if u not in found]
    if missing:
        raise _unprocessable("assignees", "not_assignable_reps", ids=", ".join(missing[:20]), count=len(missing))
    return [distribution.Rep(user_id=u, weight=found[u]["weight"], capacity=found[u]["capacity"],
                             open_leads=found[u]["open_leads"], unit_path=found[u]["unit_path"])
            for u in user_ids], found


async def _customers(conn: asyncpg.Connection, prefix: str | None, ids: list[uuid.UUID],
                     customers: CustomerSelection | None) -> dict[uuid.UUID, Any]:
    """The selection's refs, once each is known, live and owned within the caller's reach. Those
    `customer_refs` does not show so are asked of the customers service (read your own writes: a
    customer created or moved moments ago, before its event), when there are few."""
    def refused_of(refs: dict[uuid.UUID, Any]) -> list[uuid.UUID]:
        return [i for i in ids if i not in refs or not access.within(refs[i]["owner_unit_path"], prefix)]

    refs = {r["customer_id"]: r for r in await refs_store.live(conn, ids=ids)}
    refused = refused_of(refs)
    if refused and customers is not None and len(refused) <= customers_client.MAX_SNAPSHOTS:
        fresh = await customers.snapshots(refused)
        await refs_store.keep_snapshots(conn, [(c.id, c.owner_id, c.owner_unit_id, c.owner_unit_path, c.holder_id,
                                               c.province_code, c.version) for c in fresh])
        if fresh:
            refs = {r["customer_id"]: r for r in await refs_store.live(conn, ids=ids)}
            refused = refused_of(refs)
    if refused:
        raise _unprocessable("customer_ids", "not_assignable_customers", count=len(refused),
                             ids=", ".join(str(i) for i in refused[:20]))
    return refs


def _shares(customer_ids: list[uuid.UUID], reps: list[distribution.Rep], *, quantities: list[tuple[uuid.UUID, int]]
            | None, strategy: str | None, after: uuid.UUID | None) -> dict[uuid.UUID, list[uuid.UUID]]:
    if quantities is not None:
        return distribution.by_quantities(customer_ids, quantities)
    return distribution.distribute(customer_ids, reps=reps, strategy=strategy or "round_robin", after=after)


def _already_assigned(customer_ids: list[uuid.UUID]) -> Conflict:
    listed = sorted(customer_ids)[:LISTED_CUSTOMERS]
    return Conflict("customers_already_assigned", params={"count": len(customer_ids)},
                    details={"customer_ids": [str(c) for c in listed], "count": len(customer_ids)})


async def _refuse_open(conn: asyncpg.Connection, ids: list[uuid.UUID]) -> None:
    """Refuse, naming the customers of `ids` open in an assignment (A-7), if any."""
    held = [c for customers in (await store.open_assignments_of(conn, ids=ids)).values() for c in customers]
    if held:
        raise _already_assigned(held)


def _chunks(ids: list[uuid.UUID], size: int) -> list[list[uuid.UUID]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)] or [[]]


async def publish_moves(uow: UnitOfWork, model: type, assignment: dict[str, Any], customer_ids: list[uuid.UUID],
                        *, actor: str | None = None, subject: uuid.UUID | None = None, **extra: Any) -> None:
    """One event per chunk of the assignment's customers (by the caller unless another `actor` is
    named), keyed by the assignment (or `subject`: events that must reach consumers in order with
    another assignment's, on its Kafka partition)."""
    chunks = _chunks(customer_ids, events.RECALL_CHUNK if model is events.AssignmentRecalled else events.CHUNK)
    for number, chunk in enumerate(chunks, start=1):
        fields = {"assignment_id": assignment["id"], "job_id": assignment["job_id"],
                  "assignee_id": assignment["assignee_id"], "assigned_by": assignment["assigned_by"],
                  "customer_ids": chunk, "count": len(chunk), "chunk": number, "last": number == len(chunks), **extra}
        for per_customer in ("previous_owner_ids", "previous_owner_units"):  # maps: this chunk's part
            if per_customer in extra:
                fields[per_customer] = {str(c): extra[per_customer][str(c)] for c in chunk}
        fields["sequence"] = await store.next_event_sequence(uow.conn)  # A-7: after this transaction's locks
        await uow.publish(model(**fields), subject=subject or assignment["id"], actor=actor)


def handover_unit(unit: asyncpg.Record | None) -> dict[str, Any]:
    return {"assignee_unit_id": unit["unit_id"] if unit else None,
            "assignee_unit_path": unit["unit_path"] if unit else None}


async def _matching(customers: CustomerSelection | None, customer_filter: dict[str, Any], prefix: str | None
                    ) -> tuple[list[uuid.UUID], dict[uuid.UUID, dict[str, Any]]]:
    """A selection by filter (A-3): the customers service's answer for the caller (one call, their
    token: crmkit.customers_client) — every match they may hand over, at most MAX_CUSTOMERS — and what it says
    of each (fresher than customer_refs: a customer created seconds ago is there)."""
    assert customers is not None, "a distribution by filter needs the customers service"
    rows, matched = await customers.distributable(customer_filter, limit=MAX_CUSTOMERS + 1)
    if matched > MAX_CUSTOMERS:
        raise Invalid(FieldError("filter", "too_many", {"max": MAX_CUSTOMERS}), code="too_many_matched",
                      params={"matched": matched, "max": MAX_CUSTOMERS}, details={"matched": matched})
    refs = {r.id: {"owner_id": r.owner_id, "owner_unit_id": r.owner_unit_id, "owner_unit_path": r.owner_unit_path,
                   "province_code": r.province_code, "version": r.version}
            for r in rows if access.within(r.owner_unit_path, prefix)}
    if not refs:
        raise _unprocessable("filter", "nothing_matched")
    return list(refs), refs


async def _territory(conn: asyncpg.Connection, strategy: str, selection: list[uuid.UUID],
                     reps: list[distribution.Rep], refs: dict[uuid.UUID, Any]) -> dict[str, Any]:
    """Shares by territory (A-3): `by_unit` (with how many fell back to all the reps) or
    `by_province` (with the customers no chosen rep covers, left out)."""
    if strategy == "by_unit":
        shares, fallback = distribution.by_unit(selection, reps, owner_units={
            c: refs[c]["owner_unit_id"] for c in selection})
        return {"shares": shares, "fallback": fallback, "uncovered": []}
    shares, uncovered = distribution.by_province(
        selection, reps, provinces={c: refs[c]["province_code"] for c in selection},
        territories=await territories_store.units_by_province(conn))
    return {"shares": shares, "fallback": 0, "uncovered": uncovered}


async def distribute(pool: asyncpg.Pool, *, principal: Principal, customer_ids: list[uuid.UUID] | None = None,
                     text: str, customer_filter: dict[str, Any] | None = None,
                     customers: CustomerSelection | None = None,
                     job_id: uuid.UUID | None = None, new_job: dict[str, Any] | None = None,
                     quantities: list[tuple[uuid.UUID, int]] | None = None, strategy: str | None = None,
                     assignees: list[uuid.UUID] | None = None, direct: bool = False,
                     accept_within: timedelta = timedelta(hours=DEFAULT_ACCEPT_HOURS),
                     recall_first: bool = False) -> dict[str, Any]:
    """Divide the selection among reps (explicit quantities, or a strategy over `assignees`) under
    a job, and hand each rep their share: directly (they own them at once) or as an offer they
    accept or decline within `accept_within`. With `recall_first`, customers still open in
    other assignments the caller may recall are recalled in the same transaction (A-5: assign
    and recall in one operation); without it they make the call fail (a conflict naming them).
    The selection: `customer_ids`, or every customer matching `customer_filter` the caller may
    hand over (asked of the customers service through `customers`, before any transaction)."""
    prefix = access.reach(principal)
    _exactly_one(customer_ids=customer_ids, filter=customer_filter)
    _exactly_one(job_id=job_id, job=new_job)
    _exactly_one(quantities=quantities, assignees=assignees)
    if quantities is not None and strategy is not None:
        raise _unprocessable("strategy", "strategy_with_quantities")
    matched_refs = None
    if customer_filter is not None:
        selection, matched_refs = await _matching(customers, customer_filter, prefix)
    else:
        selection = list(dict.fromkeys(customer_ids or []))
    if not selection:
        raise _unprocessable("customer_ids", "required")
    if len(selection) > MAX_CUSTOMERS:
        raise _unprocessable("customer_ids", "too_many", max=MAX_CUSTOMERS)
    if not text.strip():
        raise _unprocessable("text", "blank")
    rep_ids = [u for u, _ in quantities] if quantities is not None else list(dict.fromkeys(assignees or []))
    if not rep_ids:
        raise _unprocessable("assignees", "required")
    async with UnitOfWork(pool, source=SOURCE) as uow:
        conn = uow.conn
        job = (await jobs.visible_job(conn, principal, job_id) if job_id is not None
               else await jobs.create(uow, principal, **(new_job or {})))
        reps, roster = await _reps(conn, prefix, list(dict.fromkeys(rep_ids)))
        refs: dict[uuid.UUID, Any] = matched_refs or await _customers(conn, prefix, selection, customers)
        matched = len(selection)
        territory = (await _territory(conn, strategy, selection, reps, refs)
                     if strategy in distribution.TERRITORY_STRATEGIES else None)
        if territory and territory["uncovered"]:  # not dealt: neither recalled nor refused as open elsewhere
            left_out = set(territory["uncovered"])
            selection = [c for c in selection if c not in left_out]
        if recall_first:
            await _recall_open(uow, principal, prefix, selection)
        await _refuse_open(conn, selection)
        round_robin = quantities is None and (strategy or "round_robin") == "round_robin"
        after = await store.last_round_robin(conn, job["id"]) if round_robin else None
        shares = (territory["shares"] if territory
                  else _shares(selection, reps, quantities=quantities, strategy=strategy, after=after))
        now = datetime.now(UTC)
        expires_at = None if direct else now + accept_within
        clock = sla.clock_for(job, now) if direct else None  # A-6: a direct lead is owned at once
        dealt = [(dict(await store.insert(conn, "assignments", {
            "id": uuid.uuid4(), "job_id": job["id"], "assignee_id": assignee_id, "assigned_by": principal.user_id,
            "text": text.strip(), "direct": direct, "status": "accepted" if direct else "offered",
            "expires_at": expires_at, "decided_at": now if direct else None,
            "strategy": "quantities" if quantities is not None else strategy or "round_robin"})), share)
            for assignee_id, share in shares.items()]
        await _add_customers(conn, dealt, refs, clock=clock)
        for assignment, share in dealt:
            handover = handover_unit(roster.get(assignment["assignee_id"]))
            if direct:
                await publish_moves(uow, events.AssignmentDirect, assignment, share, **handover)
            else:
                await publish_moves(uow, events.AssignmentOffered, assignment, share, expires_at=expires_at, **handover)
        made = [{**assignment, "customer_count": len(share), "open_count": len(share)} for assignment, share in dealt]
        if round_robin:
            await store.set_round_robin(conn, job["id"], last_dealt(selection, shares))
    uncovered = territory["uncovered"] if territory else []
    return {"job": job, "assignments": made, "matched": matched, "assigned": len(selection),
            "fallback": territory["fallback"] if territory else 0,
            "uncovered": {"count": len(uncovered), "customer_ids": uncovered[:LISTED_UNCOVERED]}}


async def _recall_open(uow: UnitOfWork, principal: Principal, prefix: str | None, selection: list[uuid.UUID]) -> None:
    """Recall the selection's customers from the open assignments they are in (each must be one
    the caller may recall, else the conflict as if not asked)."""
    for assignment_id, customer_ids in (await store.open_assignments_of(uow.conn, ids=selection)).items():
        assignment = await _held(uow.conn, assignment_id, lock=True)
        if not (assignment["assigned_by"] == principal.user_id or access.within(assignment["assignee_unit_path"],
                                                                                 prefix)):
            raise _already_assigned(customer_ids)
        await _recall_customers(uow, assignment, customer_ids)


async def _add_customers(conn: asyncpg.Connection, dealt: list[tuple[dict[str, Any], list[uuid.UUID]]],
                         refs: dict[uuid.UUID, Any], *, clock: tuple[datetime, datetime, datetime | None] | None = None
                         ) -> None:
    """Every share's customers in one COPY (asyncpg encodes rows while PostgreSQL inserts those
    already sent; one COPY per share waited for each). A concurrent distribution that committed
    the same customers first makes the unique index refuse them (a savepoint keeps the
    transaction usable to say which)."""
    try:
        async with conn.transaction():
            await store.add_customers(conn, rows=[
                (assignment["id"], c, ref["owner_id"], ref["owner_unit_id"], ref["owner_unit_path"])
                for assignment, share in dealt for c in share for ref in (refs[c],)], clock=clock)
    except asyncpg.UniqueViolationError:
        dealt_ids = [c for _, share in dealt for c in share]
        await _refuse_open(conn, dealt_ids)
        raise _already_assigned(dealt_ids) from None


def last_dealt(selection: list[uuid.UUID], shares: dict[uuid.UUID, list[uuid.UUID]]) -> uuid.UUID:
    last = selection[-1]
    return next(user for user, share in shares.items() if share and share[-1] == last)


async def _mine(conn: asyncpg.Connection, principal: Principal, assignment_id: uuid.UUID) -> dict[str, Any]:
    """An offer made to the caller, locked. Whoever else sees it (its assigner, a manager above the
    assignee, an admin) is refused (`not_assignee`); to anyone else it is not found."""
    assignment = await store.get(conn, assignment_id, lock=True)
    if assignment is None:
        raise NotFound()
    if assignment["assignee_id"] != principal.user_id:
        if _may_recall(principal, assignment):
            raise Forbidden("not_assignee")
        raise NotFound()
    return dict(assignment)


async def _held(conn: asyncpg.Connection, assignment_id: uuid.UUID, *, lock: bool = False) -> dict[str, Any]:
    """An assignment this transaction already knows exists (assignments are never deleted)."""
    assignment = await store.get(conn, assignment_id, lock=lock)
    if assignment is None:
        raise NotFound()
    return dict(assignment)


def _not_offered(status: str) -> Conflict:
    return Conflict("assignment_not_offered", params={"status": status}, details={"assignment_status": status})


def _open_offer(assignment: dict[str, Any]) -> None:
    if assignment["status"] != "offered":
        raise _not_offered(assignment["status"])
    if assignment["expires_at"] is not None and assignment["expires_at"] <= datetime.now(UTC):
        raise _not_offered("expired")


async def accept(pool: asyncpg.Pool, *, principal: Principal, assignment_id: uuid.UUID) -> dict[str, Any]:
    """The rep takes the offer: they own its customers."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        assignment = await _mine(uow.conn, principal, assignment_id)
        _open_offer(assignment)
        await store.decide(uow.conn, assignment_id, "accepted")
        await sla.start_on_accept(uow.conn, assignment)
        customers = [r["customer_id"] for r in await store.customers_of(uow.conn, assignment_id)]
        await publish_moves(uow, events.AssignmentAccepted, assignment, customers, assignee_unit_id=principal.unit_id,
                            assignee_unit_path=principal.unit_path or None)
        return await _held(uow.conn, assignment_id)


async def decline(pool: asyncpg.Pool, *, principal: Principal, assignment_id: uuid.UUID, reason: str | None = None
                  ) -> dict[str, Any]:
    """The rep refuses the offer, optionally saying why: its customers return to the pool; the
    assigner is notified (with the reason)."""
    reason = (reason or "").strip() or None
    async with UnitOfWork(pool, source=SOURCE) as uow:
        assignment = await _mine(uow.conn, principal, assignment_id)
        _open_offer(assignment)
        await _give_back(uow, assignment, "declined", events.AssignmentDeclined, reason=reason)
        return await _held(uow.conn, assignment_id)


async def _give_back(uow: UnitOfWork, assignment: dict[str, Any], status: str, model: type, *,
                     actor: str | None = None, reason: str | None = None) -> None:
    """`reason`: a decline's, or why an offer was withdrawn; stored and published (an expiry has none)."""
    await store.decide(uow.conn, assignment["id"], status, decline_reason=reason)
    returned = [r["customer_id"] for r in await store.close_customers(uow.conn, assignment["id"], state="returned")]
    extra: dict[str, Any] = {"reason": reason} if reason else {}
    await publish_moves(uow, model, assignment, returned, actor=actor, **extra)


async def expire_due(pool: asyncpg.Pool) -> int:
    """Offers past their deadline expire (their customers return to the pool); returns how many.
    Safe with several replicas: due offers are locked with SKIP LOCKED."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        due = [dict(r) for r in await store.due_offers(uow.conn)]
        for assignment in due:
            await _give_back(uow, assignment, "expired", events.AssignmentExpired, actor="system")
    return len(due)


DEACTIVATED = "assignee_deactivated"


async def withdraw_offers_of(uow: UnitOfWork, assignee_id: uuid.UUID) -> int:
    """A deactivated rep's open offers return to the pool at once (they can no longer answer), as
    expired offers with the reason `assignee_deactivated`; how many."""
    offers = [dict(r) for r in await store.open_offers_of(uow.conn, assignee_id)]
    for assignment in offers:
        await _give_back(uow, assignment, "expired", events.AssignmentExpired, actor="system", reason=DEACTIVATED)
    return len(offers)


async def recall(pool: asyncpg.Pool, *, principal: Principal, assignment_id: uuid.UUID | None = None,
                 job_id: uuid.UUID | None = None, assignee_id: uuid.UUID | None = None,
                 customer_ids: list[uuid.UUID] | None = None) -> dict[str, Any]:
    """Take selected customers (all when none are named) back from an assignment (A-5) or from a
    job's open assignments (`job_id`), or every customer a rep holds through open assignments
    (`assignee_id`): ownership reverts to whoever owned them before. By the assigner, a manager
    above the assignee, or an admin. Customers no longer open in it are reported as skipped. Its
    assignee may see it but not recall it (forbidden); to anyone else it is not found."""
    _exactly_one(assignment_id=assignment_id, job_id=job_id, assignee_id=assignee_id)
    wanted = list(dict.fromkeys(customer_ids)) if customer_ids else None
    if assignee_id is not None:
        if customer_ids is not None:
            raise _unprocessable("customer_ids", "only_with_assignment")
        return await _recall_assignee(pool, principal=principal, assignee_id=assignee_id)
    if job_id is not None:
        return await _recall_job(pool, principal=principal, job_id=job_id, wanted=wanted)
    assert assignment_id is not None
    async with UnitOfWork(pool, source=SOURCE) as uow:
        assignment = await store.get(uow.conn, assignment_id, lock=True)
        if assignment is None or not _may_recall(principal, assignment):
            mine = assignment is not None and assignment["assignee_id"] == principal.user_id
            raise Forbidden("not_a_distributor") if mine else NotFound()
        ids = await _recall_customers(uow, dict(assignment), wanted)
        skipped = [c for c in wanted or [] if c not in set(ids)]
        return {"assignment_id": assignment_id, "recalled": ids, "skipped": skipped}


def _may_recall(principal: Principal, assignment: Mapping[str, Any]) -> bool:
    """Its assigner, a manager above its assignee, or an admin may recall (and see) an assignment."""
    return assignment["assigned_by"] == principal.user_id or access.covers(principal, assignment["assignee_unit_path"])


async def _recall_assignee(pool: asyncpg.Pool, *, principal: Principal, assignee_id: uuid.UUID) -> dict[str, Any]:
    """Take back every customer a rep still holds or owns through open assignments, in one call (a
    rep who leaves or moves): those of the assignments the caller may recall — the ones they made,
    or all when the rep works within their reach. A rep out of reach is not found; one who does not
    distribute is refused before anything is looked up (even for a rep holding nothing)."""
    access.reach(principal)
    async with UnitOfWork(pool, source=SOURCE) as uow:
        held = [dict(r) for r in await store.open_of_assignee(uow.conn, assignee_id)]
        mine = [a for a in held if _may_recall(principal, a)]
        if held and not mine:
            raise NotFound()
        recalled = {a["id"]: await _recall_customers(uow, a, None, reason="assignee_recalled") for a in mine}
    return {"assignee_id": assignee_id, "assignments": list(recalled),
            "recalled": [c for ids in recalled.values() for c in ids], "skipped": []}


async def _recall_job(pool: asyncpg.Pool, *, principal: Principal, job_id: uuid.UUID,
                      wanted: list[uuid.UUID] | None) -> dict[str, Any]:
    """Seed 004, 6.2.2 "Thu hồi": the job chosen, the customers selected in the list (all when none
    are named) taken back from whichever of its open assignments the caller may recall holds them.
    A job out of sight is not found; one who does not distribute is refused.

    Each assignment is recalled in a transaction of its own, as 20 posts by rep would be: the
    customers service applies the first while the next are recalled (with one transaction for
    100,000 it started only once all were: 12.1-15.5 s to have them back, 10.2-11.1 s so, in
    docs/benchmarks.md).
    A recall cut short is finished by posting it again: what was recalled is no longer open."""
    access.reach(principal)
    async with pool.acquire() as conn:
        await jobs.visible_job(conn, principal, job_id)
        held = [r["id"] for r in await store.open_of_job(conn, job_id) if _may_recall(principal, r)]
    recalled: dict[uuid.UUID, list[uuid.UUID]] = {}
    for assignment_id in held:
        async with UnitOfWork(pool, source=SOURCE) as uow:
            recalled[assignment_id] = await _recall_customers(uow, await _held(uow.conn, assignment_id, lock=True),
                                                              wanted)
    ids = [c for chunk in recalled.values() for c in chunk]
    taken = set(ids)
    return {"job_id": job_id, "assignments": [a for a, chunk in recalled.items() if chunk], "recalled": ids,
            "skipped": [c for c in wanted or [] if c not in taken]}


async def _recall_customers(uow: UnitOfWork, assignment: dict[str, Any], wanted: list[uuid.UUID] | None,
                            *, reason: str = "recalled") -> list[uuid.UUID]:
    """Close the assignment's open customers (all, or `wanted`) as recalled (`reason`: their
    recall_reason — by a manager, or all of a rep's) and publish it."""
    recalled = await store.close_customers(uow.conn, assignment["id"], state="recalled", ids=wanted,
                                           recall_reason=reason)
    ids = [r["customer_id"] for r in recalled]
    if ids:
        await publish_moves(uow, events.AssignmentRecalled, assignment, ids,
                            previous_owner_ids={str(r["customer_id"]): r["previous_owner_id"] for r in recalled},
                            previous_owner_units={str(r["customer_id"]): {
                                "unit_id": r["previous_owner_unit_id"], "unit_path": r["previous_owner_unit_path"]}
                                for r in recalled})
    return ids


def _visible_clause(principal: Principal) -> tuple[list[str], list[Any]]:
    """Assignments the caller may see: their own (as assignee or assigner), those of reps in a
    manager's subtree, all for admins."""
    if principal.is_admin:
        return [], []
    clauses = "(a.assignee_id = $4 OR a.assigned_by = $4"
    args: list[Any] = [principal.user_id]
    if principal.is_manager and principal.unit_path.strip("/"):
        clauses += " OR u.unit_path LIKE $5 || '%'"
        args.append(principal.unit_path if principal.unit_path.endswith("/") else principal.unit_path + "/")
    return [clauses + ")"], args


async def get(pool: asyncpg.Pool, *, principal: Principal, assignment_id: uuid.UUID) -> dict[str, Any]:
    rows, _ = await list_assignments(pool, principal=principal, assignment_id=assignment_id, limit=1)
    if not rows:
        raise NotFound()
    async with pool.acquire() as conn:
        customers = await store.customers_of(conn, assignment_id, state=None)
    return sla.with_deadline(rows[0], [dict(c) for c in customers])


async def list_assignments(pool: asyncpg.Pool, *, principal: Principal, scope: str = "all", status: str | None = None,
                           job_id: uuid.UUID | None = None, assignment_id: uuid.UUID | None = None,
                           customer_id: uuid.UUID | None = None, limit: int = 50,
                           cursor: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first. scope: all (what the caller may see), mine (offered or given to me), made
    (distributed by me). `customer_id`: the assignments holding that customer (any state), each
    with the customer's own row in it (`customer`: state, deadline, first contact)."""
    clauses, args = _visible_clause(principal)

    def add(clause: str, value: Any) -> None:
        args.append(value)
        clauses.append(clause.format(f"${len(args) + 3}"))

    if scope == "mine":
        add("a.assignee_id = {}", principal.user_id)
    elif scope == "made":
        add("a.assigned_by = {}", principal.user_id)
    if status:
        add("a.status = {}", status)
    if job_id:
        add("a.job_id = {}", job_id)
    if assignment_id:
        add("a.id = {}", assignment_id)
    if customer_id:
        add("a.id IN (SELECT assignment_id FROM assignment_customers WHERE customer_id = {})", customer_id)
    async with pool.acquire() as conn:
        rows = [dict(r) for r in await store.page(conn, clauses=clauses, args=args, limit=limit + 1,
                                                  after=time_id_after(cursor))]
        if customer_id:
            held = await store.customer_in(conn, customer_id, [r["id"] for r in rows])
            rows = [{**r, "customer": dict(held[r["id"]])} for r in rows]
    return page_of(rows, limit, time_id_cursor)
