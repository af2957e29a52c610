"""Call result sheets (I-2) and notes (I-1) a person (or a call-centre system) records on a
customer's timeline. Each use case is one transaction: the sheet, its timeline entry and the
outbox rows (`call.logged` for the compensation rules, `interaction.recorded`).

Who may post a call: a person who may see the customer (viewers too; NotFound otherwise, as for
reads), or an integrator key (principal kind "service") carrying the permission `calls.write`,
for any customer this service knows that is not deleted (Forbidden without it).

Timeline type: `call_out` for outgoing calls, `call_missed` for an incoming call with outcome
`no_answer` (nobody picked up), `call_in` for every other incoming call."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, FieldError, Forbidden, NotFound
from crmkit.pagination import page_of, time_id_after
from crmkit.unit_of_work import UnitOfWork

from crm_interactions import events
from crm_interactions.domain import tickets
from crm_interactions.handlers import fresh_access
from crm_interactions.handlers import ticket_rules as rules
from crm_interactions.handlers.timeline import SOURCE
from crm_interactions.store import calls as store
from crm_interactions.store import timeline as timeline_store

PERMISSION = "calls.write"
DIRECTIONS = ("in", "out")
OUTCOMES = ("reached", "no_answer", "busy", "wrong_number", "call_back_later", "voicemail", "rejected")
MAX_NOTE = 4000


def entry_type(direction: str, outcome: str) -> str:
    if direction == "out":
        return "call_out"
    return "call_missed" if outcome == "no_answer" else "call_in"


async def _check_poster(conn: asyncpg.Connection, principal: Principal, customer_id: uuid.UUID) -> None:
    if principal.kind == "service":
        if not principal.can(PERMISSION):
            raise Forbidden("forbidden")
        if not (await store.customer_live(conn, customer_id)
                or await fresh_access.caught_up(conn, principal, customer_id)):
            raise NotFound()
        return
    await rules.check_customer(conn, principal, customer_id)


def _sheet_data(row: dict[str, Any], principal: Principal) -> dict[str, Any]:
    return {"call_id": str(row["id"]), "direction": row["direction"], "outcome": row["outcome"],
            "duration_seconds": row["duration_seconds"], "rating": row["rating"],
            "recording_ref": row["recording_ref"], "external_id": row["external_id"],
            "logged_by": principal.kind}


async def log_call(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID, direction: str,
                   outcome: str, duration_seconds: int, started_at: datetime | None = None,
                   rating: int | None = None, note: str | None = None, recording_ref: str | None = None,
                   external_id: str | None = None
                   ) -> tuple[dict[str, Any], bool]:
    """The sheet and whether it was created now (False: this source already logged `external_id`)."""
    values = tickets.clean({"note": note, "recording_ref": recording_ref, "external_id": external_id})
    async with UnitOfWork(pool, source=SOURCE) as uow:
        await _check_poster(uow.conn, principal, customer_id)
        if values["external_id"]:
            stored = await store.by_external_id(uow.conn, source=principal.user_id, external_id=values["external_id"])
            if stored is not None:
                return _existing(stored, customer_id)
        call_id, entry_id = uuid.uuid4(), timeline_store.new_entry_id()
        row = await store.insert(uow.conn, values={
            "id": call_id, "customer_id": customer_id, "direction": direction, "outcome": outcome,
            "occurred_at": tickets.as_aware(started_at) if started_at else datetime.now(UTC),
            "duration_seconds": duration_seconds, "rating": rating, "note": values["note"],
            "recording_ref": values["recording_ref"], "external_id": values["external_id"],
            "source": principal.user_id, "actor_id": principal.user_id, "entry_id": entry_id,
        })
        if row is None:  # a concurrent retry of the same call won the race
            stored = await store.by_external_id(uow.conn, source=principal.user_id, external_id=values["external_id"])
            return _existing(stored, customer_id)
        entry = await timeline_store.insert_entry(uow.conn, entry={
            "id": entry_id, "customer_id": customer_id, "type": entry_type(direction, outcome),
            "occurred_at": row["occurred_at"], "actor_id": principal.user_id, "note": row["note"],
            "data": _sheet_data(row, principal)})
        await uow.publish(events.CallLogged(
            id=row["id"], customer_id=customer_id, direction=direction, outcome=outcome,
            duration_seconds=duration_seconds, rating=rating, occurred_at=row["occurred_at"],
            actor_id=principal.user_id), subject=customer_id)
        if entry is not None:
            await uow.publish(events.InteractionRecorded(**dict(entry)), subject=customer_id)
        return row, True


def _existing(stored: dict[str, Any] | None, customer_id: uuid.UUID) -> tuple[dict[str, Any], bool]:
    if stored is None:  # pragma: no cover - the conflicting row is visible once the other commit lands
        raise Conflict("call_already_logged")
    if stored["customer_id"] != customer_id:
        raise Conflict("call_already_logged")
    return stored, False


async def list_calls(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID, limit: int,
                     cursor: str | None, outcome: str | None = None, direction: str | None = None
                     ) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first; visible exactly like the customer's timeline (NotFound otherwise)."""
    after = time_id_after(cursor)
    async with pool.acquire() as conn:
        await rules.check_customer(conn, principal, customer_id)
        rows = await store.page(conn, customer_id=customer_id, limit=limit + 1, after=after,
                                outcome=outcome, direction=direction)
    return page_of(rows, limit, lambda r: {"t": r["occurred_at"].isoformat(), "id": str(r["id"])})


async def add_note(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID, text: str) -> dict[str, Any]:
    """A `note` entry on the timeline of a customer the caller may see (viewers too)."""
    text = (text or "").strip()
    if not text:
        raise tickets.unprocessable([FieldError("text", "blank")])
    if len(text) > MAX_NOTE:
        raise tickets.unprocessable([FieldError("text", "too_long", {"max_length": MAX_NOTE})])
    async with UnitOfWork(pool, source=SOURCE) as uow:
        await rules.check_customer(uow.conn, principal, customer_id)
        entry = await timeline_store.insert_entry(uow.conn, entry={
            "id": timeline_store.new_entry_id(), "customer_id": customer_id, "type": "note",
            "occurred_at": datetime.now(UTC),
            "actor_id": principal.user_id, "note": text, "data": {}})
        if entry is None:
            raise NotFound()
        await uow.publish(events.InteractionRecorded(**dict(entry)), subject=customer_id)
        return dict(entry)
