"""Attachments (I-5): files on a customer, a support ticket (I-7) or a comment (I-3), streamed to
storage chunk by chunk (never held in memory), content type sniffed, executables refused; visible
only to those who may see the parent record. Deleting is soft; a purge of the customer removes rows
and files (handlers/erasure.py)."""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import anyio
import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import FieldError, Forbidden, Invalid, NotFound, TooLarge, UnsupportedType
from crmkit.pagination import page_of, time_id_after, time_id_cursor
from crmkit.unit_of_work import UnitOfWork

from crm_interactions import events
from crm_interactions.domain import attachments as rules
from crm_interactions.handlers import fresh_access
from crm_interactions.handlers.timeline import SOURCE
from crm_interactions.storage import Storage
from crm_interactions.store import access
from crm_interactions.store import attachments as store
from crm_interactions.store import comments as comments_store
from crm_interactions.store import tickets as tickets_store


def too_large(limit: int) -> TooLarge:
    return TooLarge("attachment_too_large", params={"limit": limit, "limit_mb": _mb(limit)}, details={"limit": limit})


def _mb(limit: int) -> str:
    return f"{limit / (1024 * 1024):.3g}"


def _event_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("id", "customer_id", "filename", "size", "content_type", "parent_type", "parent_id")}


def check_filename(raw: str | None) -> str:
    name, code = rules.clean_filename(raw)
    if code:
        raise Invalid(
            FieldError("filename", code, {"max_length": rules.MAX_FILENAME} if code == "too_long" else {}))
    return name  # type: ignore[return-value]


async def _customer_for_new_file(conn: asyncpg.Connection, principal: Principal, *, customer_id: uuid.UUID | None,
                                 parent_type: str | None, parent_id: uuid.UUID | None) -> uuid.UUID:
    """The customer a new file belongs to, once the caller may add it there: to a customer they
    see, to a support ticket they may edit, to a comment of their own (NotFound / Forbidden otherwise)."""
    if parent_type == "support_ticket" and parent_id is not None:
        ticket = await tickets_store.get_visible(conn, "support_tickets", ticket_id=parent_id, principal=principal)
        if ticket is None:
            raise NotFound()
        if not ticket[1]:
            raise Forbidden("not_editable")
        return ticket[0]["customer_id"]
    if parent_type == "comment" and parent_id is not None:
        comment = await comments_store.get_visible(conn, comment_id=parent_id, principal=principal)
        if comment is None:
            raise NotFound()
        if comment[0]["author_id"] != principal.user_id:
            raise Forbidden("not_comment_author")
        return comment[0]["customer_id"]
    if customer_id is None or not await fresh_access.customer_visible(conn, principal, customer_id):
        raise NotFound()
    return customer_id


async def _check_parent_readable(conn: asyncpg.Connection, principal: Principal, *, customer_id: uuid.UUID | None,
                                 parent_type: str | None, parent_id: uuid.UUID | None) -> None:
    if parent_id is not None and parent_type == "support_ticket":
        found = await tickets_store.get_visible(conn, "support_tickets", ticket_id=parent_id,
                                                principal=principal) is not None
    elif parent_id is not None and parent_type == "comment":
        found = await comments_store.get_visible(conn, comment_id=parent_id, principal=principal) is not None
    else:
        found = customer_id is not None and await fresh_access.customer_visible(conn, principal, customer_id)
    if not found:
        raise NotFound()


async def upload(pool: asyncpg.Pool, files: Storage, *, principal: Principal, customer_id: uuid.UUID | None = None,
                 parent_type: str | None = None, parent_id: uuid.UUID | None = None,
                 filename: str | None, chunks: AsyncIterator[bytes], max_bytes: int,
                 declared_length: int | None = None) -> dict[str, Any]:
    """Stream `chunks` into storage while counting, hashing and sniffing; then one transaction
    writes the row and the `attachment.added` event. Refusals (TooLarge as soon as the count passes
    `max_bytes`, UnsupportedType for executables, Invalid when empty) leave no file and no row. The file goes on
    the customer, or on the parent (`parent_type`, `parent_id`) when one is given."""
    name = check_filename(filename)
    parent_type = parent_type if parent_id else None
    async with pool.acquire() as conn:  # asked before any byte of the file is read
        await _customer_for_new_file(conn, principal, customer_id=customer_id, parent_type=parent_type,
                                     parent_id=parent_id)
    if declared_length is not None and declared_length > max_bytes:
        raise too_large(max_bytes)
    attachment_id = uuid.uuid4()
    key = f"{attachment_id.hex[:2]}/{attachment_id.hex[2:4]}/{attachment_id}"
    size, head, digest, text = 0, b"", hashlib.sha256(), rules.TextSniffer()
    writer = await files.open_writer(key)
    try:
        async for chunk in chunks:
            if not chunk:
                continue
            size += len(chunk)
            if size > max_bytes:
                raise too_large(max_bytes)
            if len(head) < rules.HEAD_BYTES:
                head += chunk[:rules.HEAD_BYTES - len(head)]
                if len(head) >= 4 and rules.is_executable(head):
                    raise UnsupportedType("attachment_type_not_allowed")
            digest.update(chunk)
            text.feed(chunk)
            await writer.write(chunk)
        if size == 0:
            raise Invalid(FieldError("body", "empty_file"))
        if rules.is_executable(head):
            raise UnsupportedType("attachment_type_not_allowed")
        text.feed(b"", final=True)
        await writer.commit()
    except BaseException:
        await writer.abort()
        raise
    content_type = rules.content_type(head, name, text.text)
    try:
        async with UnitOfWork(pool, source=SOURCE) as uow:
            customer_id = await _customer_for_new_file(uow.conn, principal, customer_id=customer_id,  # still allowed?
                                                       parent_type=parent_type, parent_id=parent_id)
            if not await access.lock_customer(uow.conn, customer_id=customer_id):
                raise NotFound()  # deleted or purged meanwhile
            row = await store.insert(uow.conn, values={
                "id": attachment_id, "customer_id": customer_id, "parent_type": parent_type,
                "parent_id": parent_id, "filename": name, "content_type": content_type,
                "size": size, "sha256": digest.hexdigest(), "storage_key": key, "uploaded_by": principal.user_id,
            })
            await uow.publish(events.AttachmentAdded(**_event_fields(row)), subject=row["id"])
    except BaseException:
        with anyio.CancelScope(shield=True):  # also when the request is cancelled
            await files.delete(key)
        raise
    row.pop("storage_key")
    return row


async def get(pool: asyncpg.Pool, *, principal: Principal, attachment_id: uuid.UUID,
              with_key: bool = False) -> dict[str, Any]:
    async with pool.acquire() as conn:
        found = await store.get_visible(conn, attachment_id=attachment_id, principal=principal)
    if found is None:
        raise NotFound()
    row = found[0]
    if not with_key:
        row.pop("storage_key")
    return row


async def list_attachments(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID | None = None,
                           parent_type: str | None = None, parent_id: uuid.UUID | None = None, limit: int = 50,
                           cursor: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first: a customer's files (its tickets' and comments' included) or one parent's;
    NotFound when the caller may not see that customer or parent."""
    async with pool.acquire() as conn:
        await _check_parent_readable(conn, principal, customer_id=customer_id, parent_type=parent_type,
                                     parent_id=parent_id)
        rows = await store.page(conn, customer_id=customer_id, parent_id=parent_id, principal=principal,
                                limit=limit + 1, after=time_id_after(cursor))
    return page_of(rows, limit, time_id_cursor)


async def delete(pool: asyncpg.Pool, *, principal: Principal, attachment_id: uuid.UUID) -> None:
    """Soft delete by the uploader, a manager above the customer's owner, or an admin (the file
    stays until the customer is purged)."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        found = await store.get_visible(uow.conn, attachment_id=attachment_id, principal=principal, lock=True)
        if found is None:
            raise NotFound()
        row, may_delete = found
        if not may_delete:
            raise Forbidden("attachment_not_deletable")
        await store.mark_deleted(uow.conn, attachment_id=attachment_id, by=principal.user_id)
        await uow.publish(events.AttachmentDeleted(**_event_fields(row)), subject=row["id"])
