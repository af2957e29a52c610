from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool
from crmkit.idempotency import Idempotent
from crmkit.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from crmkit.versions import IfMatch, expected_version, versioned

from crm_interactions.handlers import comments as handlers

router = APIRouter(prefix="/api/v1", tags=["comments"])

Text = Annotated[str, Field(min_length=1, max_length=handlers.MAX_TEXT,
                            examples=["Khách hẹn gọi lại chiều nay #tele @lan.nguyen"])]
Hashtag = Annotated[str | None, Query(max_length=100, description="with or without #, any case and diacritics")]


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Text


class CommentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Text


class MentionPublic(BaseModel):
    user_id: uuid.UUID
    username: str
    acknowledged_at: datetime | None


class CommentFile(BaseModel):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int


class CommentPublic(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    ticket_type: Literal["care_ticket", "support_ticket"] | None = Field(
        None, description="set when the comment was written on one of the customer's tickets")
    ticket_id: uuid.UUID | None = None
    author_id: uuid.UUID
    text: str
    hashtags: list[str] = Field(description="folded: lower case, no diacritics")
    mentions: list[MentionPublic]
    attachments: list[CommentFile] = Field(description="files added with POST /comments/{id}/attachments")
    read: bool = Field(description="read by the caller")
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    deleted_by: uuid.UUID | None = None


RESPONSES: dict[int | str, dict[str, Any]] = {404: {"description": "not_found"}}


def _page(rows: list[dict[str, Any]], next_cursor: str | None) -> Page[CommentPublic]:
    return Page[CommentPublic](items=[CommentPublic.model_validate(r) for r in rows], next_cursor=next_cursor)



MENTION_422 = {"description": "validation_error: blank or too long text; `unknown_mention` (extra `unknown_usernames`);"
               " `mention_not_visible` / `mention_not_visible_shareable` for users who may not read the comment"
               " (extra `not_visible` [{user_id, username}], `can_add_viewers`, and `add_viewer` {method, href}"
               " when the author may add them as viewers of the customer)"}

@router.post("/customers/{customer_id}/comments", status_code=201, response_model=CommentPublic,
             responses={**RESPONSES, 422: MENTION_422})
async def post_comment(customer_id: uuid.UUID, body: CommentCreate,
                       principal: CurrentPrincipal, once: Idempotent) -> Response:
    """Comment on a customer the caller may see (viewers too); `#hashtags` and `@username`
    mentions are parsed, each mentioned user gets an important notification (I-3, I-4). A
    `comment` timeline entry is written. `Idempotency-Key` supported."""
    row = await handlers.post(once.pool, principal=principal, customer_id=customer_id, text=body.text)
    return once.answer(versioned(CommentPublic, row, 201, {"Location": f"/api/v1/comments/{row['id']}"}))


Read = Annotated[bool | None, Query(description="read / unread by the caller")]
Deleted = Annotated[bool, Query(description="deleted ones only: managers, admins")]


@router.get("/customers/{customer_id}/comments", response_model=Page[CommentPublic],
            responses={**RESPONSES, 403: {"description": "deleted_comments_forbidden"}})
async def list_customer_comments(customer_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                                 author_id: uuid.UUID | None = None, hashtag: Hashtag = None, read: Read = None,
                                 deleted: Deleted = False, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[CommentPublic]:
    """A customer's comments, those written on its tickets included, newest first."""
    rows, next_cursor = await handlers.list_comments(
        pool, principal=principal, customer_id=customer_id, author_id=author_id, hashtag=hashtag,
        read=read, deleted=deleted, limit=limit, cursor=cursor)
    return _page(rows, next_cursor)


def _ticket_comment_routes(path: str, ticket_type: str) -> None:
    """POST and GET `/{path}/{ticket_id}/comments`: comments on one care or support ticket, for
    whoever sees the ticket (its customer's viewers, or the ticket's assignee)."""

    @router.post(f"/{path}/{{ticket_id}}/comments", status_code=201, response_model=CommentPublic,
                 responses={**RESPONSES, 422: MENTION_422},
                 name=f"post_{ticket_type}_comment", summary=f"Comment on a {ticket_type.replace('_', ' ')}")
    async def post_ticket_comment(ticket_id: uuid.UUID, body: CommentCreate,
                                  principal: CurrentPrincipal, once: Idempotent) -> Response:
        """Parsed and notified like a comment on the customer; it shows in the customer's comments
        and timeline with `ticket_type` and `ticket_id`. `Idempotency-Key` supported."""
        row = await handlers.post(once.pool, principal=principal, ticket_type=ticket_type, ticket_id=ticket_id,
                                  text=body.text)
        return once.answer(versioned(CommentPublic, row, 201, {"Location": f"/api/v1/comments/{row['id']}"}))

    @router.get(f"/{path}/{{ticket_id}}/comments", response_model=Page[CommentPublic],
                responses={**RESPONSES, 403: {"description": "deleted_comments_forbidden"}},
                name=f"list_{ticket_type}_comments", summary=f"Comments on a {ticket_type.replace('_', ' ')}")
    async def list_ticket_comments(ticket_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                                   author_id: uuid.UUID | None = None, hashtag: Hashtag = None, read: Read = None,
                                   deleted: Deleted = False, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[CommentPublic]:
        """The ticket's comments, newest first."""
        rows, next_cursor = await handlers.list_comments(
            pool, principal=principal, ticket_type=ticket_type, ticket_id=ticket_id,
            author_id=author_id, hashtag=hashtag, read=read, deleted=deleted, limit=limit, cursor=cursor)
        return _page(rows, next_cursor)


_ticket_comment_routes("care-tickets", "care_ticket")
_ticket_comment_routes("support-tickets", "support_ticket")


@router.get("/comments", response_model=Page[CommentPublic],
            responses={403: {"description": "deleted_comments_forbidden"}})
async def search_comments(pool: DbPool, principal: CurrentPrincipal, hashtag: Hashtag = None,
                          author_id: uuid.UUID | None = None, read: bool | None = None, deleted: bool = False,
                          limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[CommentPublic]:
    """Comments across every customer the caller may see, newest first, e.g. `?hashtag=tele`."""
    rows, next_cursor = await handlers.list_comments(
        pool, principal=principal, author_id=author_id, hashtag=hashtag, read=read,
        deleted=deleted, limit=limit, cursor=cursor)
    return _page(rows, next_cursor)


@router.get("/comments/{comment_id}", response_model=CommentPublic, responses=RESPONSES)
async def get_comment(comment_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
    return versioned(CommentPublic, await handlers.get(pool, principal=principal,
                                                       comment_id=comment_id))


@router.patch("/comments/{comment_id}", response_model=CommentPublic, responses={
    **RESPONSES, 403: {"description": "not_comment_author"}, 412: {"description": "version_conflict"},
    422: MENTION_422, 428: {"description": "precondition_required"}})
async def edit_comment(comment_id: uuid.UUID, body: CommentUpdate, pool: DbPool, principal: CurrentPrincipal,
                       if_match: IfMatch = None) -> Response:
    """Its author rewrites a comment (`If-Match` required); newly mentioned users are notified."""
    row = await handlers.edit(pool, principal=principal, comment_id=comment_id,
                              expected_version=expected_version(if_match), text=body.text)
    return versioned(CommentPublic, row)


@router.delete("/comments/{comment_id}", status_code=204, responses={
    **RESPONSES, 403: {"description": "not_deletable"}, 412: {"description": "version_conflict"}})
async def delete_comment(comment_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                         if_match: IfMatch = None) -> Response:
    """Soft delete by the author, a manager above the customer's owner, or an admin; `If-Match` optional."""
    await handlers.delete(pool, principal=principal, comment_id=comment_id,
                          expected_version=expected_version(if_match, required=False))
    return Response(status_code=204)


@router.post("/comments/{comment_id}/read", response_model=CommentPublic, responses=RESPONSES)
async def read_comment(comment_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
    """Mark a comment read for the caller."""
    return versioned(CommentPublic, await handlers.mark_read(pool, principal=principal,
                                                             comment_id=comment_id))


@router.post("/comments/{comment_id}/acks", response_model=CommentPublic, responses={
    **RESPONSES, 403: {"description": "not_mentioned"}})
async def acknowledge_comment(comment_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
    """The mentioned caller acknowledges the comment (idempotent); the comment then shows when."""
    return versioned(CommentPublic, await handlers.acknowledge(
        pool, principal=principal, comment_id=comment_id))
