"""Decisions on submitted requests (P-5): by a reviewer (or an admin), or by an automatic rule at
submission. One decision per request: the UPDATE only takes a request still `submitted`, so of two
reviewers deciding at once one wins and the other is told `already_decided`. A decision, its
history row, the credit of an approval, the batch's counters and status, and their events commit
in one unit of work."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg

from crmkit.auth import ADMIN, REVIEWER, Principal
from crmkit.domain_errors import Conflict, Forbidden, NotFound
from crmkit.unit_of_work import UnitOfWork

from crm_compensation import events
from crm_compensation.handlers import SOURCE
from crm_compensation.handlers.requests import as_request, event_fields
from crm_compensation.store import batches as store
from crm_compensation.store import requests as requests_store
from crm_compensation.store.access import access_of

DECISIONS = ("approved", "rejected")


def may_decide(principal: Principal) -> bool:
    return principal.kind == "user" and principal.has_role(REVIEWER, ADMIN)


async def apply(uow: UnitOfWork, decided: Sequence[asyncpg.Record], *, batch: asyncpg.Record | dict[str, Any],
                actor_id: uuid.UUID | None) -> asyncpg.Record | None:
    """The consequences of requests just decided (all of one batch): history, a credit per
    approval, the batch's counters and status, and the events — each `request_decided` to the
    requester (`auto` when a rule decided), `credit_added`, and `batch_completed` with the last
    decision. Returns the batch as it is now (None when nothing was decided)."""
    if not decided:
        return None
    await requests_store.add_history_many(uow.conn, [
        {"request_id": r["id"], "action": f"auto_{r['status']}" if r["auto_rule_id"] else r["status"],
         "from_status": "submitted", "to_status": r["status"], "actor_id": actor_id, "note": r["decision_note"],
         "auto_rule_id": r["auto_rule_id"]} for r in decided])
    approved = [r for r in decided if r["status"] == "approved"]
    credits = await store.add_credits(uow.conn, approved)
    now = await store.count_decisions(uow.conn, batch["id"], approved=len(approved),
                                      rejected=len(decided) - len(approved))
    published: list[tuple[Any, uuid.UUID | str]] = [
        (events.RequestDecided(**event_fields(r, r["decision_note"]), decision=r["status"],
                               auto=r["auto_rule_id"] is not None, auto_rule_id=r["auto_rule_id"]), r["id"])
        for r in decided]
    published += [(events.CreditAdded(credit_id=c["id"], package_id=c["package_id"], request_id=c["request_id"],
                                      customer_id=c["customer_id"], amount=c["amount"]), c["package_id"])
                  for c in credits]
    if now["status"] == "completed":
        published.append((events.BatchCompleted(batch_id=now["id"], package_id=now["package_id"],
                                                owner_id=now["submitted_by"], approved=now["approved"],
                                                rejected=now["rejected"], completed_at=now["completed_at"]),
                          now["id"]))
    await uow.publish_many(published)
    return now


async def decide(pool: asyncpg.Pool, *, principal: Principal, request_id: uuid.UUID, decision: str,
                 note: str | None) -> dict[str, Any]:
    """A reviewer's (or an admin's) decision on a submitted request → the request as decided."""
    if not may_decide(principal):
        raise Forbidden("not_a_reviewer")
    async with UnitOfWork(pool, source=SOURCE) as uow:
        decided = await store.decide(uow.conn, [(request_id, decision, note, None)], decided_by=principal.user_id)
        if not decided:
            raise await _refusal(uow.conn, principal, request_id)
        await apply(uow, decided, batch={"id": decided[0]["batch_id"]}, actor_id=principal.user_id)
        return as_request(decided[0])


async def _refusal(conn: asyncpg.Connection, principal: Principal, request_id: uuid.UUID) -> Exception:
    """Why a request was not decided: unknown (404), decided already, or not (yet / any more) submitted."""
    current = await requests_store.get(conn, access_of(principal), request_id)
    if current is None:
        return NotFound()
    if current["status"] in DECISIONS:
        return Conflict("already_decided", params={"status": current["status"]},
                        details={"request_status": current["status"], "decided_at": current["decided_at"].isoformat()
                                 if current["decided_at"] else None})
    return Conflict("not_submitted", params={"status": current["status"]}, details={"request_status": current["status"]})
