"""What care and support tickets share: the caller's access to a ticket, assignees from the user
directory, list scopes and cursors, the timeline entry of a status change."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any, Callable
from zoneinfo import ZoneInfo

import asyncpg

from crmkit import outbox
from crmkit.auth import Principal
from crmkit.errors import FieldError, ProblemError
from crmkit.pagination import page_of, time_id_after, time_id_cursor
from crmkit.versions import check_version
from crm_interactions import events
from crm_interactions.handlers.timeline import SOURCE
from crm_interactions.store import tickets as store
from crm_interactions.text import fold
from crm_interactions.store import timeline as timeline_store

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")


def envelope_of(principal: Principal, subject: uuid.UUID, correlation_id: str | None) -> dict[str, Any]:
    return {"source": SOURCE, "subject": subject, "actor": principal.user_id, "correlation_id": correlation_id}


async def readable(conn: asyncpg.Connection, table: str, principal: Principal, ticket_id: uuid.UUID) -> dict[str, Any]:
    found = await store.get_visible(conn, table, ticket_id=ticket_id, principal=principal)
    if found is None:
        raise ProblemError(404, "not_found")
    return found[0]


def never(_current: dict[str, Any]) -> bool:
    return False


def always(_current: dict[str, Any]) -> bool:
    return True


async def editable(conn: asyncpg.Connection, table: str, principal: Principal, ticket_id: uuid.UUID,
                   expected_version: int | None, *, manages: Callable[[dict[str, Any]], bool] = never
                   ) -> dict[str, Any]:
    """The locked ticket the caller may work on at the version they read: else 404, 403 or 412.
    When `manages(current)` (a reassignment, a deletion) the caller must also be one who may edit
    the customer (C-9): an assignee works their ticket but does not hand it on (403
    `ticket_not_manageable`)."""
    found = await store.get_visible(conn, table, ticket_id=ticket_id, principal=principal, lock=True)
    if found is None:
        raise ProblemError(404, "not_found")
    current, may_edit, may_manage = found
    if not may_edit:
        raise ProblemError(403, "not_editable")
    if not may_manage and manages(current):
        raise ProblemError(403, "ticket_not_manageable")
    check_version(current["version"], expected_version)
    return current


def reassigning(values: dict[str, Any], fields: tuple[str, ...]) -> Callable[[dict[str, Any]], bool]:
    """Whether `values` change any of `fields` (who or which unit handles the ticket)."""
    return lambda current: any(name in values and values[name] != current[name] for name in fields)


async def may_edit_customer(conn: asyncpg.Connection, principal: Principal, customer_id: uuid.UUID) -> bool:
    return await store.customer_editable(conn, customer_id=customer_id, principal=principal)


def invalid_transition(current: str, target: str) -> ProblemError:
    return ProblemError(409, "invalid_transition", params={"from": current, "to": target},
                        extra={"from": current, "to": target})


async def check_customer(conn: asyncpg.Connection, principal: Principal, customer_id: uuid.UUID) -> None:
    """A ticket is created only for a customer the caller may see (404 otherwise, as for reads)."""
    if not await store.customer_visible(conn, customer_id=customer_id, principal=principal):
        raise ProblemError(404, "not_found")


async def assignee_problems(conn: asyncpg.Connection, principal: Principal, assignee_id: uuid.UUID | None,
                            field: str = "assignee_id") -> list[FieldError]:
    """The caller may always assign themselves; anyone else must be an active user of the directory."""
    if assignee_id is None or assignee_id == principal.user_id:
        return []
    user = await store.directory_user(conn, assignee_id)
    return [] if user is not None and user["active"] else [FieldError(field, "unknown_user")]


def blank_problems(values: dict[str, Any], required: tuple[str, ...]) -> list[FieldError]:
    return [FieldError(name, "required") for name in required if name in values and values[name] is None]


def unprocessable(problems: list[FieldError]) -> ProblemError:
    return ProblemError(422, "validation_error", errors=problems)


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """Trim texts; a text of only spaces counts as empty (None)."""
    out = {}
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip() or None
        out[name] = value
    return out


def local_day(now: datetime | None = None) -> tuple[datetime, datetime]:
    """Start and end of today in Vietnam (Asia/Ho_Chi_Minh), as aware datetimes."""
    today = (now or datetime.now(UTC)).astimezone(LOCAL_TIME).date()
    start = datetime.combine(today, time(), LOCAL_TIME)
    return start, start + timedelta(days=1)


def as_aware(value: datetime) -> datetime:
    """A time without an offset is Vietnamese local time (what the screens show)."""
    return value.replace(tzinfo=LOCAL_TIME) if value.tzinfo is None else value


def scope_clause(scope: str, principal: Principal, query: store.Query, *, unit_column: str | None = None) -> None:
    """mine: assigned to me · my_unit: assigned to someone in my unit's subtree (or, for support
    tickets, handled by my unit) · all: every ticket I may see."""
    if scope == "mine":
        query.where(f"t.assignee_id = {query.add(principal.user_id)}")
    elif scope == "my_unit":
        path = principal.unit_path if principal.kind == "user" and principal.unit_path.strip("/") else None
        if path is None:
            query.where("FALSE")
            return
        path = path if path.endswith("/") else path + "/"
        members = (f"EXISTS (SELECT 1 FROM directory_users u WHERE u.id = t.assignee_id"
                   f" AND u.unit_path LIKE {query.add(path)} || '%')")
        if unit_column and principal.unit_id:
            members = f"({members} OR t.{unit_column} = {query.add(principal.unit_id)})"
        query.where(members)


async def page(pool: asyncpg.Pool, table: str, query: store.Query, *, status: str | None,
               customer_id: uuid.UUID | None, q: str | None, sort: str, limit: int,
               cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """The filters every ticket list shares, then one keyset page newest `sort` first."""
    if status:
        query.where(f"t.status = {query.add(status)}")
    if customer_id:
        query.where(f"t.customer_id = {query.add(customer_id)}")
    if q and (folded := fold(q)):
        query.where(f"t.search_text LIKE '%' || {query.add(folded)} || '%'")
    async with pool.acquire() as conn:
        rows = await store.page(conn, table, query, sort=sort, limit=limit + 1, after=time_id_after(cursor))
    return page_of(rows, limit, lambda r: time_id_cursor(r, sort))


async def record_on_timeline(conn: asyncpg.Connection, principal: Principal, *, customer_id: uuid.UUID,
                             type_: str, note: str | None, data: dict[str, Any],
                             correlation_id: str | None) -> None:
    """A timeline entry for a ticket's status change, and its `interaction.recorded` event."""
    row = await timeline_store.insert_entry(conn, entry={
        "id": timeline_store.new_entry_id(), "customer_id": customer_id, "type": type_,
        "occurred_at": datetime.now(UTC),
        "actor_id": principal.user_id, "note": note, "data": data,
    })
    if row is not None:
        await outbox.publish(conn, events.InteractionRecorded(**dict(row)),
                             **envelope_of(principal, customer_id, correlation_id))
