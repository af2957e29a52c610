"""Comments on a customer, or on one of its care or support tickets (I-3), with #hashtags and
@mentions acknowledged by the mentioned user (I-4). A comment is visible iff its customer is (NotFound
otherwise) or, for a comment on a ticket, to the ticket's assignee; anyone who sees the customer may
comment (viewers too, C-9), and a ticket's assignee may comment on that ticket. A mention must
reach someone who may read the comment (Invalid otherwise, and for unknown usernames). Each use case
is one transaction: rules, store writes, notifications, outbox rows and the `comment` timeline entry."""
from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import FieldError, Forbidden, Invalid, NotFound
from crmkit.pagination import page_of, time_id_after, time_id_cursor
from crmkit.unit_of_work import UnitOfWork
from crmkit.versions import check_version

from crm_interactions import events
from crm_interactions.domain import comments as parsing
from crm_interactions.domain import tickets
from crm_interactions.handlers import notifications
from crm_interactions.handlers import ticket_rules as rules
from crm_interactions.handlers.timeline import SOURCE
from crm_interactions.store import comments as store
from crm_interactions.store.access import TICKET_TABLES

MAX_TEXT = 5000


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise tickets.unprocessable([FieldError("text", "blank")])
    if len(text) > MAX_TEXT:
        raise tickets.unprocessable([FieldError("text", "too_long", {"max_length": MAX_TEXT})])
    return text


def _event_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "customer_id": row["customer_id"], "author_id": row["author_id"],
            "hashtags": row["hashtags"], "mentions": [m["user_id"] for m in row["mentions"]],
            "ticket_type": row["ticket_type"], "ticket_id": row["ticket_id"]}


async def _parent(conn: asyncpg.Connection, principal: Principal, customer_id: uuid.UUID | None,
                  ticket_type: str | None, ticket_id: uuid.UUID | None) -> tuple[uuid.UUID, uuid.UUID | None]:
    """The customer of the comment's parent and, for a ticket, its assignee, once the caller is
    known to see that parent (else NotFound)."""
    if ticket_id is not None and ticket_type is not None:
        ticket = await rules.readable(conn, TICKET_TABLES[ticket_type], principal, ticket_id)
        return ticket["customer_id"], ticket["assignee_id"]
    if customer_id is None:
        raise NotFound()
    await rules.check_customer(conn, principal, customer_id)
    return customer_id, None


async def _visible(conn: asyncpg.Connection, principal: Principal, comment_id: uuid.UUID, *, lock: bool = False
                   ) -> tuple[dict[str, Any], bool]:
    found = await store.get_visible(conn, comment_id=comment_id, principal=principal, lock=lock)
    if found is None:
        raise NotFound()
    return found


async def _mention(uow: UnitOfWork, principal: Principal, comment: dict[str, Any],
                   users: list[asyncpg.Record]) -> None:
    """Mention `users` (new ones get an important notification and a `mention.created`)."""
    newly = set(await store.add_mentions(uow.conn, comment_id=comment["id"], users=users))
    for user in users:
        if user["id"] not in newly:
            continue
        await notifications.notify_mention(uow.conn, user_id=user["id"], comment=comment,
                                           author_username=principal.username)
        await uow.publish(events.MentionCreated(
            comment_id=comment["id"], customer_id=comment["customer_id"], user_id=user["id"],
            username=user["username"], author_id=comment["author_id"]), subject=comment["id"])


async def _mentioned_users(conn: asyncpg.Connection, principal: Principal, text: str, *, customer_id: uuid.UUID,
                           ticket_assignee_id: uuid.UUID | None, already: Sequence[Mapping[str, Any]] = ()
                           ) -> list[asyncpg.Record]:
    """The active users mentioned in `text`, the author excluded. A mention must reach someone who
    may read the comment (who sees the customer or, on a ticket, its assignee: the comment's own
    read rule): else, and for an unknown username, Invalid naming them, never a notification. Users
    `already` mentioned on the comment are not checked again."""
    usernames = parsing.mentions(text)
    users = await store.users_by_username(conn, usernames)
    old_ids = {uuid.UUID(str(m["user_id"])) for m in already}
    old_names = {m["username"].lower() for m in already}
    known = {u["username"].lower() for u in users}
    unknown = [n for n in usernames if n not in known and n not in old_names]
    users = [u for u in users if u["id"] != principal.user_id]
    new = [u for u in users if u["id"] not in old_ids]
    seeing = await store.who_may_see(conn, customer_id=customer_id, user_ids=[u["id"] for u in new],
                                     ticket_assignee_id=ticket_assignee_id)
    hidden = [u for u in new if u["id"] not in seeing]
    if unknown or hidden:
        raise await _mention_problem(conn, principal, customer_id, unknown, hidden)
    return users


async def _mention_problem(conn: asyncpg.Connection, principal: Principal, customer_id: uuid.UUID,
                           unknown: list[str], hidden: list[asyncpg.Record]) -> Invalid:
    """Invalid naming the unknown usernames and the users who may not see the comment; where the
    author may edit the customer, it offers to add those as viewers (customers service:
    POST /api/v1/customers/{id}/viewers)."""
    errors: list[FieldError] = []
    extra: dict[str, Any] = {}
    if unknown:
        errors.append(FieldError("text", "unknown_mention", {"usernames": _listed(unknown)}))
        extra["unknown_usernames"] = unknown
    if hidden:
        shareable = await rules.may_edit_customer(conn, principal, customer_id)
        errors.append(FieldError("text", "mention_not_visible_shareable" if shareable else "mention_not_visible",
                                 {"usernames": _listed([u["username"] for u in hidden])}))
        extra |= {"not_visible": [{"user_id": str(u["id"]), "username": u["username"]} for u in hidden],
                  "can_add_viewers": shareable}
        if shareable:
            extra["add_viewer"] = {"method": "POST", "href": f"/api/v1/customers/{customer_id}/viewers"}
    return Invalid(*errors, details=extra)


def _listed(usernames: list[str]) -> str:
    return ", ".join(f"@{name}" for name in usernames)


async def post(pool: asyncpg.Pool, *, principal: Principal, text: str, customer_id: uuid.UUID | None = None,
               ticket_type: str | None = None, ticket_id: uuid.UUID | None = None) -> dict[str, Any]:
    """A comment on a customer, or on a ticket (`ticket_type`, `ticket_id`) of that customer."""
    text = _clean_text(text)
    comment_id = uuid.uuid4()
    async with UnitOfWork(pool, source=SOURCE) as uow:
        customer_id, assignee_id = await _parent(uow.conn, principal, customer_id, ticket_type, ticket_id)
        users = await _mentioned_users(uow.conn, principal, text, customer_id=customer_id,
                                       ticket_assignee_id=assignee_id)
        await store.insert(uow.conn, values={"id": comment_id, "customer_id": customer_id,
                                             "author_id": principal.user_id, "text": text,
                                             "hashtags": parsing.hashtags(text),
                                             "ticket_type": ticket_type if ticket_id else None,
                                             "ticket_id": ticket_id})
        await store.mark_read(uow.conn, comment_id=comment_id, user_id=principal.user_id)
        draft = {"id": comment_id, "customer_id": customer_id, "author_id": principal.user_id, "text": text}
        await _mention(uow, principal, draft, users)
        row, _ = await _visible(uow.conn, principal, comment_id)
        await uow.publish(events.CommentPosted(**_event_fields(row)), subject=comment_id)
        await rules.record_on_timeline(uow, principal, customer_id=customer_id, type_="comment", note=text,
                                       data=_timeline_data(row))
        return row


def _timeline_data(row: dict[str, Any]) -> dict[str, Any]:
    data = {"comment_id": str(row["id"]), "hashtags": row["hashtags"]}
    if row["ticket_id"] is not None:
        data |= {"ticket_type": row["ticket_type"], "ticket_id": str(row["ticket_id"])}
    return data


async def get(pool: asyncpg.Pool, *, principal: Principal, comment_id: uuid.UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        return (await _visible(conn, principal, comment_id))[0]


async def list_comments(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID | None = None,
                        ticket_type: str | None = None, ticket_id: uuid.UUID | None = None,
                        author_id: uuid.UUID | None = None, hashtag: str | None = None, read: bool | None = None,
                        deleted: bool = False, limit: int = 50, cursor: str | None = None
                        ) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first among the comments the caller may see: of one customer (its tickets' included),
    of one ticket, or of every customer (a hashtag search). `deleted=true` lists deleted ones:
    managers and admins only."""
    if deleted and not (principal.is_admin or principal.is_manager):
        raise Forbidden("deleted_comments_forbidden")
    query = store.Query(principal)
    query.where("t.deleted_at IS NOT NULL" if deleted else "t.deleted_at IS NULL")
    async with pool.acquire() as conn:
        if ticket_id is not None:
            await _parent(conn, principal, None, ticket_type, ticket_id)
            query.where(f"t.ticket_id = {query.add(ticket_id)}")
        elif customer_id is not None:
            await rules.check_customer(conn, principal, customer_id)
            query.where(f"t.customer_id = {query.add(customer_id)}")
        if author_id is not None:
            query.where(f"t.author_id = {query.add(author_id)}")
        if hashtag is not None:
            query.where(f"t.hashtags @> ARRAY[{query.add(parsing.fold_hashtag(hashtag))}]::text[]")
        if read is not None:
            query.where(f"{'' if read else 'NOT '}EXISTS (SELECT 1 FROM comment_reads r"
                        f" WHERE r.comment_id = t.id AND r.user_id = $3)")
        rows = await store.page(conn, query, limit=limit + 1, after=time_id_after(cursor))
    return page_of(rows, limit, time_id_cursor)


async def edit(pool: asyncpg.Pool, *, principal: Principal, comment_id: uuid.UUID, expected_version: int | None,
               text: str) -> dict[str, Any]:
    """Its author rewrites a comment; hashtags and mentions follow the new text (acknowledged
    mentions stay; newly mentioned users are notified)."""
    text = _clean_text(text)
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current, _ = await _visible(uow.conn, principal, comment_id, lock=True)
        if current["author_id"] != principal.user_id:
            raise Forbidden("not_comment_author")
        check_version(current["version"], expected_version)
        if text == current["text"]:
            return current
        await store.update(uow.conn, comment_id=comment_id, values={"text": text, "hashtags": parsing.hashtags(text)})
        users = await _mentioned_users(
            uow.conn, principal, text, customer_id=current["customer_id"], already=current["mentions"],
            ticket_assignee_id=await store.ticket_assignee(uow.conn, ticket_type=current["ticket_type"],
                                                           ticket_id=current["ticket_id"]))
        await store.drop_unacknowledged_mentions(uow.conn, comment_id=comment_id, keep=[u["id"] for u in users])
        await _mention(uow, principal, {**current, "text": text}, users)
        row, _ = await _visible(uow.conn, principal, comment_id)
        await uow.publish(events.CommentEdited(**_event_fields(row), version=row["version"]), subject=comment_id)
        return row


async def delete(pool: asyncpg.Pool, *, principal: Principal, comment_id: uuid.UUID,
                 expected_version: int | None = None) -> None:
    """Soft delete by its author, a manager above the customer's owner, or an admin."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current, deletable = await _visible(uow.conn, principal, comment_id, lock=True)
        if not deletable:
            raise Forbidden("not_deletable")
        check_version(current["version"], expected_version)
        await store.update(uow.conn, comment_id=comment_id,
                           values={"deleted_at": datetime.now(UTC), "deleted_by": principal.user_id})
        await uow.publish(events.CommentDeleted(**_event_fields(current), deleted_by=principal.user_id),
                          subject=comment_id)


async def mark_read(pool: asyncpg.Pool, *, principal: Principal, comment_id: uuid.UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        await _visible(conn, principal, comment_id)
        await store.mark_read(conn, comment_id=comment_id, user_id=principal.user_id)
        return (await _visible(conn, principal, comment_id))[0]


async def acknowledge(pool: asyncpg.Pool, *, principal: Principal, comment_id: uuid.UUID) -> dict[str, Any]:
    """The mentioned user acknowledges (idempotent: the first time counts); others are Forbidden."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current, _ = await _visible(uow.conn, principal, comment_id, lock=True)
        acked = await store.acknowledge(uow.conn, comment_id=comment_id, user_id=principal.user_id)
        if acked is None:
            raise Forbidden("not_mentioned")
        acknowledged_at, newly = acked
        await store.mark_read(uow.conn, comment_id=comment_id, user_id=principal.user_id)
        if newly:
            await uow.publish(events.MentionAcknowledged(
                comment_id=comment_id, customer_id=current["customer_id"], user_id=principal.user_id,
                acknowledged_at=acknowledged_at), subject=comment_id)
        return (await _visible(uow.conn, principal, comment_id))[0]
