"""Notification sources other than mentions (I-9): events of the assignment, compensation and import
services become notifications in the affected user's inbox.

Subscribed topics (consumers.py): `crm.assignment`, `crm.compensation`, `crm.imports`. Each event
makes one notification per affected user. Idempotency comes from the consumer's inbox: the
notification is inserted in the same transaction as the inbox row, so a redelivered event makes
none. An event whose payload its model (consumed_events) refuses, or that lacks its recipient, is
skipped with a warning log line (`notification_source_skipped`), not dead-lettered: retrying
cannot repair it.

A notification is stored as `type` + `data` and read in the reader's language (notification_texts:
Accept-Language, Vietnamese by default); the stored title is the Vietnamese rendering, the fallback.
The titles below are the Vietnamese ones.

| Event | Recipient (payload field) | Type | Important | Title (vi) | `data` |
|---|---|---|---|---|---|
| `assignment.offered` | `assignee_id` | `assignment_offered` | yes (accept/decline) | "Bạn được giao N khách hàng — cần nhận hoặc từ chối" | assignment_id, job_id, customer_ids, count, expires_at |
| `assignment.direct` | `assignee_id` | `assignment_direct` | no | "Bạn được giao N khách hàng" | assignment_id, job_id, customer_ids, count |
| `assignment.declined` | `assigned_by` | `assignment_declined` | yes | "<full name> từ chối nhận N khách hàng, đã trả về kho", body "Lý do: <reason>" | assignment_id, job_id, assignee_id, assignee_name (directory: full name, else username), reason, customer_ids, count |
| `assignment.expired` | `assigned_by` | `assignment_expired` | yes | "N khách hàng quá hạn nhận, đã trả về kho"; with `reason` `assignee_deactivated`: "<full name> đã ngừng hoạt động: N khách hàng chưa nhận đã trả về kho" | assignment_id, job_id, assignee_id, assignee_name, reason, customer_ids, count |
| `assignment.recalled` | `assignee_id` | `assignment_recalled` | no | "N khách hàng đã bị thu hồi" | assignment_id, job_id, customer_ids, count |
| `assignment.sla_warning` (A-6) | `assignee_id` | `assignment_sla_warning` | yes | "N khách hàng sắp bị thu hồi do chưa liên hệ" | assignment_id, job_id, customer_ids, count, recall_at |
| `compensation.request_decided` (P-5) | `owner_id` | `compensation_decided` | yes | "Yêu cầu bồi hoàn đã được duyệt" / "… bị từ chối" | request_id, batch_id, package_id, decision, note |
| `compensation.batch_completed` | `owner_id` | `compensation_batch_completed` | no | "Đợt yêu cầu bồi hoàn đã xử lý xong" | batch_id, package_id, approved, rejected |
| `import.finished` (M-5) | `user_id` | `import_finished` | no | "Nhập dữ liệu xong: X dòng thành công, Y dòng lỗi" | job_id, file_name, rows_ok, rows_failed, result_file_url |
| `import.failed` (M-5) | `user_id` | `import_failed` | yes | "Nhập dữ liệu thất bại" | job_id, file_name, rows_ok, rows_failed, result_file_url, error |

What each event must carry: its model in consumed_events (`decision` must be `approved` or
`rejected`); the rest is passed through when present (`accepted`, and `declined`/`expired` to the
assignee, make no notification: the acting user already knows). N is the number of customers; the
body lists nothing personal.
"""
from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import pydantic

from crmkit import directory
from crmkit.consumer import EventModel, Handler, typed
from crmkit.events import Envelope
from crmkit.logging import get_logger

from crm_interactions import notification_texts as texts
from crm_interactions.consumed_events import (
    AssignmentNotice,
    CompensationBatchCompleted,
    CompensationDecision,
    ImportOutcome,
)
from crm_interactions.store import notifications as store

log = get_logger(__name__)


class _Skip(Exception):
    """The payload cannot make a notification."""


def _recipient(event: pydantic.BaseModel, field: str) -> uuid.UUID:
    recipient = getattr(event, field)
    if recipient is None:
        raise _Skip(field)
    return recipient


def _optional(event: pydantic.BaseModel, *fields: str) -> dict[str, Any]:
    return event.model_dump(mode="json", include=set(fields), exclude_none=True)


async def _notify(conn: asyncpg.Connection, envelope: Envelope, *, recipient: uuid.UUID, type_: str,
                  important: bool, data: dict[str, Any], body: str | None = None) -> None:
    """Stored as type + data (rendered in the reader's language when read) and, as the fallback,
    the Vietnamese title and body."""
    data = {**data, "event_id": str(envelope.id)}
    if texts.has_own_body(type_):
        body = texts.body(type_, data)
    await store.insert(conn, user_id=recipient, type_=type_, important=important,
                       title=texts.title(type_, data) or "", body=body, data=data)


def _source(model: type[EventModel],
            handle: Callable[[asyncpg.Connection, Envelope, EventModel], Awaitable[None]]) -> Handler:
    """`handle` the event validated into `model`; skipped, not dead-lettered, when it cannot make a
    notification (refused by the model, or without its recipient)."""
    handler = typed(model, handle)

    async def guarded(conn: asyncpg.Connection, envelope: Envelope) -> None:
        try:
            await handler(conn, envelope)
        except pydantic.ValidationError as refused:
            _skipped(envelope, ".".join(str(part) for part in refused.errors()[0]["loc"]))
        except _Skip as missing:
            _skipped(envelope, str(missing))
    guarded.__name__ = handler.__name__
    return guarded


def _skipped(envelope: Envelope, field: str) -> None:
    log.warning("notification_source_skipped", type=envelope.type, event_id=str(envelope.id), missing_field=field)


# --- assignment ------------------------------------------------------------------------------------

def _assignment(event: AssignmentNotice) -> dict[str, Any]:
    customer_ids = [str(c) for c in event.customer_ids]
    return {"assignment_id": str(event.assignment_id), "customer_ids": customer_ids,
            "count": len(customer_ids), **_optional(event, "job_id")}


@dataclass(frozen=True)
class AssignmentNotification:
    """The notification an assignment event makes (the table in the module's docstring)."""

    type_: str
    recipient: str  # the event's field naming who is told
    important: bool
    extra: tuple[str, ...] = ()  # the event's fields passed on in `data` when present
    names_assignee: bool = False  # adds `assignee_name` from the directory


ASSIGNMENT_NOTIFICATIONS = {
    "assignment.offered": AssignmentNotification("assignment_offered", "assignee_id", True, ("expires_at",)),
    "assignment.direct": AssignmentNotification("assignment_direct", "assignee_id", False),
    "assignment.declined": AssignmentNotification("assignment_declined", "assigned_by", True,
                                                  ("assignee_id", "reason"), names_assignee=True),
    "assignment.expired": AssignmentNotification("assignment_expired", "assigned_by", True, ("assignee_id", "reason"),
                                                 names_assignee=True),
    "assignment.recalled": AssignmentNotification("assignment_recalled", "assignee_id", False),
    "assignment.sla_warning": AssignmentNotification("assignment_sla_warning", "assignee_id", True, ("recall_at",)),
}


def _assignment_source(notification: AssignmentNotification) -> Handler:
    async def notify(conn: asyncpg.Connection, envelope: Envelope, event: AssignmentNotice) -> None:
        recipient = _recipient(event, notification.recipient)
        data = {**_assignment(event), **_optional(event, *notification.extra)}
        if notification.names_assignee:
            data.update(await _assignee_name(conn, event.assignee_id))
        await _notify(conn, envelope, recipient=recipient, type_=notification.type_,
                      important=notification.important, data=data)
    notify.__name__ = f"on_{notification.type_}"
    return _source(AssignmentNotice, notify)


async def _assignee_name(conn: asyncpg.Connection, assignee_id: uuid.UUID | None) -> dict[str, str]:
    """{"assignee_name": full name, else username} of the directory user; {} when unknown."""
    user = None if assignee_id is None else await directory.get_user(conn, assignee_id)
    if user is None:
        return {}
    return {"assignee_name": (user["full_name"] or "").strip() or user["username"]}


# --- compensation ----------------------------------------------------------------------------------

DECISIONS = ("approved", "rejected")


async def _on_compensation_request_decided(conn: asyncpg.Connection, envelope: Envelope,
                                           request: CompensationDecision) -> None:
    recipient = _recipient(request, "owner_id")
    if request.decision not in DECISIONS:
        raise _Skip("decision")
    await _notify(conn, envelope, recipient=recipient, type_="compensation_decided", important=True,
                  body=request.note or None,
                  data={"decision": request.decision, "note": request.note,
                        **_optional(request, "request_id", "batch_id", "package_id", "customer_id")})


async def on_compensation_batch_completed(conn: asyncpg.Connection, envelope: Envelope,
                                          batch: CompensationBatchCompleted) -> None:
    await _notify(conn, envelope, recipient=batch.owner_id, type_="compensation_batch_completed", important=False,
                  data=_optional(batch, "batch_id", "package_id", "approved", "rejected"))


# --- import ----------------------------------------------------------------------------------------

def _import(outcome: ImportOutcome) -> dict[str, Any]:
    return {"job_id": outcome.job_id,
            **_optional(outcome, "file_name", "rows_ok", "rows_failed", "result_file_url")}


async def on_import_finished(conn: asyncpg.Connection, envelope: Envelope, outcome: ImportOutcome) -> None:
    await _notify(conn, envelope, recipient=outcome.user_id, type_="import_finished", important=False,
                  body=outcome.file_name, data=_import(outcome))


async def on_import_failed(conn: asyncpg.Connection, envelope: Envelope, outcome: ImportOutcome) -> None:
    await _notify(conn, envelope, recipient=outcome.user_id, type_="import_failed", important=True,
                  body=outcome.error, data={**_import(outcome), **_optional(outcome, "error")})


# registered in a `both` with the timeline's handler of the same event (consumers.py)
on_compensation_request_decided = _source(CompensationDecision, _on_compensation_request_decided)
ASSIGNMENT = {type_: _assignment_source(notification) for type_, notification in ASSIGNMENT_NOTIFICATIONS.items()}
COMPENSATION = {
    "compensation.request_decided": on_compensation_request_decided,
    "compensation.batch_completed": _source(CompensationBatchCompleted, on_compensation_batch_completed),
}
IMPORTS = {
    "import.finished": _source(ImportOutcome, on_import_finished),
    "import.failed": _source(ImportOutcome, on_import_failed),
}
