"""/api/v1/me: the caller."""
from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from crmkit.errors import ProblemError

from crm_gateway.api.common import Caller, IdentityDep
from crm_gateway.store import users as user_store

router = APIRouter(prefix="/api/v1", tags=["me"])


class MePublic(BaseModel):
    id: uuid.UUID
    username: str
    full_name: str
    email: str | None
    phone: str | None
    unit_id: uuid.UUID
    unit_path: str
    roles: list[str]
    kind: Literal["user", "service"]
    permissions: list[str]


@router.get("/me", response_model=MePublic, summary="Who am I")
async def me(identity: IdentityDep, principal: Caller) -> MePublic:
    row = await user_store.get(identity.pool, principal.user_id)
    if row is None:
        raise ProblemError(401, "invalid_token", headers={"WWW-Authenticate": "Bearer"})
    return MePublic(**{k: row[k] for k in MePublic.model_fields if k != "permissions"},
                    permissions=sorted(principal.permissions))
