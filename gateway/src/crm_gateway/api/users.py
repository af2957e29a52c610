"""/api/v1/users: people and service accounts (admins write; managers read their subtree)."""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from crmkit.idempotency import Idempotent
from crmkit.pagination import Cursor, Limit
from crmkit.versions import RequiredVersion

from crm_gateway.api.common import ADMIN_ONLY, Caller, IdentityDep, NotNull, changes_of, json_response, on_transaction
from crm_gateway.domain import users as rules
from crm_gateway.domain.access import require_admin
from crm_gateway.handlers import users as handlers

router = APIRouter(prefix="/api/v1/users", tags=["users"])
Role = Literal["admin", "manager", "sales", "reviewer", "integrator"]
Username = Annotated[str, Field(min_length=3, max_length=rules.USERNAME_MAX, pattern=rules.USERNAME_PATTERN)]
Password = Annotated[str, Field(min_length=rules.PASSWORD_MIN, max_length=rules.PASSWORD_MAX)]
FullName = Annotated[str, Field(min_length=1, max_length=rules.NAME_MAX, pattern=r"\S")]
Email = Annotated[str, Field(max_length=rules.EMAIL_MAX)]
Phone = Annotated[str, Field(max_length=rules.PHONE_MAX)]
Roles = Annotated[list[Role], Field(min_length=1, max_length=5)]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: Username
    password: Password
    full_name: FullName
    email: Email | None = None
    phone: Phone | None = None
    unit_id: uuid.UUID
    roles: Roles


class UserUpdate(BaseModel):
    """Any subset. `active: false` deactivates; a new `password` signs the user out everywhere."""

    model_config = ConfigDict(extra="forbid")
    full_name: FullName | NotNull = None
    email: Email | None = None
    phone: Phone | None = None
    unit_id: uuid.UUID | NotNull = None
    roles: Roles | NotNull = None
    active: bool | NotNull = None
    password: Password | NotNull = None


class UserPublic(BaseModel):
    id: uuid.UUID
    username: str
    full_name: str
    email: str | None
    phone: str | None
    unit_id: uuid.UUID
    unit_path: str
    roles: list[Role]
    active: bool
    kind: Literal["user", "service"]
    version: int
    created_at: datetime
    updated_at: datetime


class UserPage(BaseModel):
    items: list[UserPublic]
    next_cursor: str | None = None


def to_public(row: Mapping[str, Any]) -> UserPublic:
    return UserPublic(**{name: row[name] for name in UserPublic.model_fields})


@router.get("", response_model=UserPage, summary="List users (admins: all; managers: their subtree)")
async def list_users(identity: IdentityDep, principal: Caller, limit: Limit = 50, cursor: Cursor = None,
                     unit_id: Annotated[uuid.UUID | None, Query(description="users of this unit's subtree")] = None,
                     role: Role | None = None, active: bool | None = None,
                     kind: Literal["user", "service"] | None = None,
                     q: Annotated[str | None, Query(max_length=100, description="username, name, email, phone")] = None,
                     ) -> UserPage:
    rows, next_cursor = await handlers.list_users(identity=identity, actor=principal, unit_id=unit_id, role=role,
                                                  active=active, kind=kind, q=q, cursor=cursor, limit=limit)
    return UserPage(items=[to_public(r) for r in rows], next_cursor=next_cursor)


@router.post("", status_code=201, response_model=UserPublic, summary="Create a user (admin; Idempotency-Key)",
             responses={**ADMIN_ONLY, 409: {"description": "username_exists; idempotency_in_flight"}})
async def create_user(body: UserCreate, identity: IdentityDep, principal: Caller, once: Idempotent) -> Response:
    require_admin(principal)
    row = await handlers.create_user(
        identity=on_transaction(identity, once), actor=principal, username=body.username, password=body.password,
        full_name=body.full_name, email=body.email, phone=body.phone, unit_id=body.unit_id,
        roles=list(body.roles))
    return once.answer(json_response(to_public(row), status_code=201, version=row["version"],
                                     location=f"/api/v1/users/{row['id']}"))


@router.get("/{user_id}", response_model=UserPublic, summary="A user (with ETag)")
async def get_user(user_id: uuid.UUID, identity: IdentityDep, principal: Caller) -> Response:
    row = await handlers.get_user(identity=identity, actor=principal, user_id=user_id)
    return json_response(to_public(row), version=row["version"])


@router.patch("/{user_id}", response_model=UserPublic,
              responses={**ADMIN_ONLY, 409: {"description": "last_admin: the last active admin keeps the role"}},
              summary="Change, move, re-role or deactivate a user (admin; If-Match)")
async def update_user(user_id: uuid.UUID, body: UserUpdate, request: Request, identity: IdentityDep,
                      principal: Caller, version: RequiredVersion) -> Response:
    require_admin(principal)
    changes = changes_of(body)
    row = await handlers.update_user(identity=identity, actor=principal, user_id=user_id, changes=changes,
                                     expected_version=version)
    if changes.get("active") is False or "roles" in changes:
        request.app.state.service_tokens.forget_user(user_id)
    return json_response(to_public(row), version=row["version"])
