"""Notification sources other than mentions (I-9): events of the assignment, compensation and import
services become notifications in the affected user's inbox.

Subscribed topics (consumers.py): `crm.assignment`, `crm.compensation`, `crm.imports`. Each event
makes one notification per affected user. Idempotency comes from the consumer's inbox: the
notification is inserted in the same transaction as the inbox row, so a redelivered event makes
none. An event whose payload lacks a required field is skipped with a warning log line
(`notification_source_skipped`), not dead-lettered: retrying cannot repair it.

A notification is stored as `type` + `data` and read in the reader's language (notification_texts:
Accept-Language, Vietnamese by default); the stored title is the Vietnamese rendering, the fallback.
The titles below are the Vietnamese ones.

| Event | Recipient (payload field) | Type | Important | Title (vi) | `data` |
|---|---|---|---|---|---|
| `assignment.offered` | `assignee_id` | `assignment_offered` | yes (accept/decline) | "Bạn được giao N khách hàng — cần nhận hoặc từ chối" | assignment_id, job_id, customer_ids, count, expires_at |
| `assignment.direct` | `assignee_id` | `assignment_direct` | no | "Bạn được giao N khách hàng" | assignment_id, job_id, customer_ids, count |
| `assignment.declined` | `assigned_by` | `assignment_declined` | yes | "<full name> từ chối nhận N khách hàng, đã trả về kho", body "Lý do: <reason>" | assignment_id, job_id, assignee_id, assignee_name (directory: full name, else username), reason, customer_ids, count |
| `assignment.expired` | `assigned_by` | `assignment_expired` | yes | "N khách hàng quá hạn nhận, đã trả về kho" | assignment_id, job_id, assignee_id, customer_ids, count |
| `assignment.recalled` | `assignee_id` | `assignment_recalled` | no | "N khách hàng đã bị thu hồi" | assignment_id, job_id, customer_ids, count |
| `assignment.sla_warning` (A-6) | `assignee_id` | `assignment_sla_warning` | yes | "N khách hàng sắp bị thu hồi do chưa liên hệ" | assignment_id, job_id, customer_ids, count, recall_at |
| `compensation.request_decided` (P-5) | `owner_id` | `compensation_decided` | yes | "Yêu cầu bồi hoàn đã được duyệt" / "… bị từ chối" | request_id, batch_id, package_id, decision, note |
| `compensation.batch_completed` | `owner_id` | `compensation_batch_completed` | no | "Đợt yêu cầu bồi hoàn đã xử lý xong" | batch_id, package_id, approved, rejected |
| `import.finished` (M-5) | `user_id` | `import_finished` | no | "Nhập dữ liệu xong: X dòng thành công, Y dòng lỗi" | job_id, file_name, rows_ok, rows_failed, result_file_url |
| `import.failed` (M-5) | `user_id` | `import_failed` | yes | "Nhập dữ liệu thất bại" | job_id, file_name, rows_ok, rows_failed, result_file_url, error |

Required payload fields: the recipient field; for assignment events also `assignment_id` and
`customer_ids` (a list); `decision` (`approved`|`rejected`) for `compensation.request_decided`;
`job_id` for import events. Everything else is optional and passed through when present
(`accepted`, and `declined`/`expired` to the assignee, make no notification: the acting user
already knows). N is the number of customers; the body lists nothing personal.
"""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit import directory
from crmkit.events import Envelope
from crmkit.logging import get_logger
from crm_interactions import notification_texts as texts
from crm_interactions.store import notifications as store

log = get_logger(__name__)


class _Skip(Exception):
    """The payload cannot make a notification."""


def _uuid(data: dict[str, Any], field: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(data[field]))
    except (KeyError, TypeError, ValueError):
        raise _Skip(field) from None


def _ids(data: dict[str, Any], field: str = "customer_ids") -> list[str]:
    value = data.get(field)
    if not isinstance(value, list):
        raise _Skip(field)
    return [str(v) for v in value]


def _optional(data: dict[str, Any], *fields: str) -> dict[str, Any]:
    return {f: data[f] for f in fields if data.get(f) is not None}


async def _notify(conn: asyncpg.Connection, envelope: Envelope, *, recipient: uuid.UUID, type_: str,
                  important: bool, data: dict[str, Any], body: str | None = None) -> None:
    """Stored as type + data (rendered in the reader's language when read) and, as the fallback,
    the Vietnamese title and body."""
    data = {**data, "event_id": str(envelope.id)}
    if texts.has_own_body(type_):
        body = texts.body(type_, data)
    await store.insert(conn, user_id=recipient, type_=type_, important=important,
                       title=texts.title(type_, data) or "", body=body, data=data)


def _guard(handler):
    async def guarded(conn: asyncpg.Connection, envelope: Envelope) -> None:
        try:
            await handler(conn, envelope)
        except _Skip as missing:
            log.warning("notification_source_skipped", type=envelope.type, event_id=str(envelope.id),
                        missing_field=str(missing))
    guarded.__name__ = handler.__name__
    guarded.__doc__ = handler.__doc__
    return guarded


# --- assignment ------------------------------------------------------------------------------------

def _assignment(data: dict[str, Any]) -> dict[str, Any]:
    customer_ids = _ids(data)
    return {"assignment_id": str(_uuid(data, "assignment_id")), "customer_ids": customer_ids,
            "count": len(customer_ids), **_optional(data, "job_id")}


@_guard
async def on_assignment_offered(conn: asyncpg.Connection, envelope: Envelope) -> None:
    data = envelope.data
    recipient, payload = _uuid(data, "assignee_id"), _assignment(data)
    await _notify(conn, envelope, recipient=recipient, type_="assignment_offered", important=True,
                  data={**payload, **_optional(data, "expires_at")})


@_guard
async def on_assignment_direct(conn: asyncpg.Connection, envelope: Envelope) -> None:
    data = envelope.data
    recipient, payload = _uuid(data, "assignee_id"), _assignment(data)
    await _notify(conn, envelope, recipient=recipient, type_="assignment_direct", important=False, data=payload)


@_guard
async def on_assignment_declined(conn: asyncpg.Connection, envelope: Envelope) -> None:
    data = envelope.data
    recipient, payload = _uuid(data, "assigned_by"), _assignment(data)
    await _notify(conn, envelope, recipient=recipient, type_="assignment_declined", important=True,
                  data={**payload, **_optional(data, "assignee_id", "reason"),
                        **await _assignee_name(conn, data.get("assignee_id"))})


async def _assignee_name(conn: asyncpg.Connection, assignee_id: Any) -> dict[str, str]:
    """{"assignee_name": full name, else username} of the directory user; {} when unknown."""
    try:
        user = await directory.get_user(conn, uuid.UUID(str(assignee_id)))
    except (TypeError, ValueError):
        return {}
    if user is None:
        return {}
    return {"assignee_name": (user["full_name"] or "").strip() or user["username"]}


@_guard
async def on_assignment_expired(conn: asyncpg.Connection, envelope: Envelope) -> None:
    data = envelope.data
    recipient, payload = _uuid(data, "assigned_by"), _assignment(data)
    await _notify(conn, envelope, recipient=recipient, type_="assignment_expired", important=True,
                  data={**payload, **_optional(data, "assignee_id")})


@_guard
async def on_assignment_recalled(conn: asyncpg.Connection, envelope: Envelope) -> None:
    data = envelope.data
    recipient, payload = _uuid(data, "assignee_id"), _assignment(data)
    await _notify(conn, envelope, recipient=recipient, type_="assignment_recalled", important=False, data=payload)


@_guard
async def on_assignment_sla_warning(conn: asyncpg.Connection, envelope: Envelope) -> None:
    data = envelope.data
    recipient, payload = _uuid(data, "assignee_id"), _assignment(data)
    await _notify(conn, envelope, recipient=recipient, type_="assignment_sla_warning", important=True,
                  data={**payload, **_optional(data, "recall_at")})


# --- compensation ----------------------------------------------------------------------------------

DECISIONS = ("approved", "rejected")


@_guard
async def on_compensation_request_decided(conn: asyncpg.Connection, envelope: Envelope) -> None:
    data = envelope.data
    recipient = _uuid(data, "owner_id")
    decision = data.get("decision")
    if decision not in DECISIONS:
        raise _Skip("decision")
    note = data.get("note")
    await _notify(conn, envelope, recipient=recipient, type_="compensation_decided", important=True,
                  body=note or None,
                  data={"decision": decision, "note": note,
                        **_optional(data, "request_id", "batch_id", "package_id", "customer_id")})


@_guard
async def on_compensation_batch_completed(conn: asyncpg.Connection, envelope: Envelope) -> None:
    data = envelope.data
    recipient = _uuid(data, "owner_id")
    await _notify(conn, envelope, recipient=recipient, type_="compensation_batch_completed", important=False,
                  data=_optional(data, "batch_id", "package_id", "approved", "rejected"))


# --- import ----------------------------------------------------------------------------------------

def _import(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("job_id") is None:
        raise _Skip("job_id")
    return {"job_id": str(data["job_id"]),
            **_optional(data, "file_name", "rows_ok", "rows_failed", "result_file_url")}


@_guard
async def on_import_finished(conn: asyncpg.Connection, envelope: Envelope) -> None:
    data = envelope.data
    recipient, payload = _uuid(data, "user_id"), _import(data)
    await _notify(conn, envelope, recipient=recipient, type_="import_finished", important=False,
                  body=data.get("file_name"), data=payload)


@_guard
async def on_import_failed(conn: asyncpg.Connection, envelope: Envelope) -> None:
    data = envelope.data
    recipient, payload = _uuid(data, "user_id"), _import(data)
    await _notify(conn, envelope, recipient=recipient, type_="import_failed", important=True, body=data.get("error"),
                  data={**payload, **_optional(data, "error")})


ASSIGNMENT = {
    "assignment.offered": on_assignment_offered,
    "assignment.direct": on_assignment_direct,
    "assignment.declined": on_assignment_declined,
    "assignment.expired": on_assignment_expired,
    "assignment.recalled": on_assignment_recalled,
    "assignment.sla_warning": on_assignment_sla_warning,
}
COMPENSATION = {
    "compensation.request_decided": on_compensation_request_decided,
    "compensation.batch_completed": on_compensation_batch_completed,
}
IMPORTS = {
    "import.finished": on_import_finished,
    "import.failed": on_import_failed,
}
