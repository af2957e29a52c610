"""/api/v1/people: the directory every signed-in user may read (no contact data, roles or
anything about logins)."""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from crmkit.pagination import Cursor, Limit

from crm_gateway.api.common import Caller, IdentityDep
from crm_gateway.handlers import people as handlers

router = APIRouter(prefix="/api/v1/people", tags=["people"])


class PersonPublic(BaseModel):
    id: uuid.UUID
    username: str
    full_name: str
    unit_id: uuid.UUID
    unit_name: str
    active: bool
    kind: Literal["user", "service"]


class PersonPage(BaseModel):
    items: list[PersonPublic]
    next_cursor: str | None = None


def to_public(row: Mapping[str, Any]) -> PersonPublic:
    return PersonPublic(**{name: row[name] for name in PersonPublic.model_fields})


@router.get("", response_model=PersonPage, summary="Find colleagues (every signed-in user)",
            description="Sorted by username. `q` matches the username or full name, ignoring case and accents "
                        "(`nguyen duc` finds `Nguyễn Đức`). Integrator keys need the permission `identity.read`.")
async def find_people(identity: IdentityDep, principal: Caller, limit: Limit = 50, cursor: Cursor = None,
                      q: Annotated[str | None, Query(max_length=100, description="part of a username or name")] = None,
                      unit_id: Annotated[uuid.UUID | None, Query(description="people of this unit's subtree")] = None,
                      active: bool | None = None,
                      kind: Literal["user", "service"] | None = None,
                      ids: Annotated[list[uuid.UUID] | None, Query(
                          alias="id", max_length=100,
                          description="only these people (the names of a page's owners in one call)")] = None,
                      ) -> PersonPage:
    rows, next_cursor = await handlers.find_people(identity=identity, actor=principal, q=q, unit_id=unit_id,
                                                   active=active, kind=kind, cursor=cursor, limit=limit, ids=ids)
    return PersonPage(items=[to_public(r) for r in rows], next_cursor=next_cursor)


@router.get("/{user_id}", response_model=PersonPublic, summary="A colleague (every signed-in user)")
async def get_person(user_id: uuid.UUID, identity: IdentityDep, principal: Caller) -> PersonPublic:
    return to_public(await handlers.get_person(identity=identity, actor=principal, user_id=user_id))
