"""Admins and logins: a user's back-off per client address (GET/DELETE
/api/v1/users/{id}/login-failures) and the login audit (GET /api/v1/login-audit)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from crmkit.pagination import Cursor, Limit

from crm_gateway.api.common import ADMIN_ONLY, Caller, IdentityDep
from crm_gateway.handlers import logins as handlers

router = APIRouter(prefix="/api/v1", tags=["users"], responses=ADMIN_ONLY)
Outcome = Literal["success", "wrong_password", "unknown_user", "inactive", "no_password", "blocked"]


class LoginFailurePublic(BaseModel):
    client: str
    failures: int
    blocked_until: datetime | None
    last_failure_at: datetime


class LoginFailures(BaseModel):
    items: list[LoginFailurePublic]


class LoginAuditPublic(BaseModel):
    id: int
    at: datetime
    username: str
    user_id: uuid.UUID | None
    client: str
    user_agent: str | None
    outcome: Outcome


class LoginAuditPage(BaseModel):
    items: list[LoginAuditPublic]
    next_cursor: str | None = None


@router.get("/users/{user_id}/login-failures", response_model=LoginFailures,
            summary="A user's failed logins per client address and their back-off (admin)",
            description="`client` is an IPv4 address or an IPv6 /64; a `blocked_until` in the future means "
                        "logins of this user from that client answer 423 until then.")
async def login_failures(user_id: uuid.UUID, identity: IdentityDep, principal: Caller) -> LoginFailures:
    rows = await handlers.login_failures(identity=identity, actor=principal, user_id=user_id)
    return LoginFailures(items=[LoginFailurePublic(**dict(row)) for row in rows])


@router.delete("/users/{user_id}/login-failures", status_code=204,
               summary="Clear a user's failed logins and back-off from every client (admin)")
async def clear_login_failures(user_id: uuid.UUID, identity: IdentityDep, principal: Caller) -> Response:
    await handlers.clear_login_failures(identity=identity, actor=principal, user_id=user_id)
    return Response(status_code=204)


@router.get("/login-audit", response_model=LoginAuditPage, summary="Login attempts, newest first (admin)",
            description="Kept CRM_GATEWAY_LOGIN_AUDIT_RETENTION_DAYS days. `user_id` is null for unknown "
                        "usernames and for attempts refused during a back-off (`blocked`): filter by `username`.")
async def login_audit(identity: IdentityDep, principal: Caller, limit: Limit = 50, cursor: Cursor = None,
                      user_id: uuid.UUID | None = None,
                      username: Annotated[str | None, Query(max_length=128)] = None,
                      client: Annotated[str | None, Query(max_length=64)] = None,
                      outcome: Outcome | None = None) -> LoginAuditPage:
    rows, next_cursor = await handlers.login_audit(identity=identity, actor=principal, user_id=user_id,
                                                   username=username, client=client, outcome=outcome,
                                                   cursor=cursor, limit=limit)
    return LoginAuditPage(items=[LoginAuditPublic(**dict(row)) for row in rows], next_cursor=next_cursor)
