"""The routes shared by the configurable sets (C-4): list for everyone, writes for admins."""

import uuid
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from crmkit.auth import CurrentPrincipal, require_roles
from crmkit.dependencies import DbPool
from crmkit.idempotency import Idempotent

from crm_customers.domain.configuration import CATEGORY_PATTERN, POSITION_LIMIT
from crm_customers.handlers import configuration as handlers

ADMIN_ONLY = [require_roles()]  # require_roles() with no role admits admins only
POSITION = {"minimum": -POSITION_LIMIT, "maximum": POSITION_LIMIT}
# a lower-case slug, surrounding spaces allowed; empty: none
CATEGORY = {"pattern": rf"^\s*({CATEGORY_PATTERN.pattern})?\s*$"}


def _given(body: BaseModel) -> dict[str, Any]:
    return body.model_dump(exclude_unset=True)


def configuration_router(*, kind: str, path: str, tag: str, create: type[BaseModel], update: type[BaseModel],
                         public: type[BaseModel]) -> APIRouter:
    router = APIRouter(prefix=f"/api/v1/{path}", tags=[tag])

    def respond(item: dict[str, Any], status_code: int = 200, headers: dict[str, Any] | None = None) -> JSONResponse:
        return JSONResponse(public.model_validate(item).model_dump(mode="json"), status_code=status_code,
                            headers=headers)

    # `create`/`update`/`public` are classes chosen at run time: FastAPI reads them from the
    # annotations, mypy cannot type a parameter by a variable (hence the ignores below)
    @router.get("", response_model=list[public], name=f"list_{kind}")  # type: ignore[valid-type]
    async def list_items(pool: DbPool, principal: CurrentPrincipal) -> list[BaseModel]:
        return [public.model_validate(item) for item in await handlers.list_items(pool, kind=kind)]

    @router.post("", status_code=201, response_model=public, dependencies=ADMIN_ONLY, name=f"create_{kind}",
                 responses={409: {"description": "key_exists / name_exists"}, 422: {"description": "validation_error"}})
    async def create_item(body: create, principal: CurrentPrincipal,  # type: ignore[valid-type]
                          once: Idempotent) -> Response:

        item = await handlers.create_item(once.pool, principal=principal, kind=kind,
                                          values=_given(body))
        return once.answer(respond(item, 201, {"Location": f"/api/v1/{path}/{item['id']}"}))

    @router.patch("/{item_id}", response_model=public, dependencies=ADMIN_ONLY, name=f"update_{kind}",
                  responses={404: {"description": "not_found"}, 422: {"description": "validation_error"}})
    async def update_item(item_id: uuid.UUID, body: update, pool: DbPool,  # type: ignore[valid-type]
                          principal: CurrentPrincipal) -> Response:
        item = await handlers.update_item(pool, principal=principal, kind=kind, item_id=item_id,
                                          changes=_given(body))
        return respond(item)

    @router.delete("/{item_id}", status_code=204, dependencies=ADMIN_ONLY, name=f"delete_{kind}",
                   responses={404: {"description": "not_found"}, 409: {"description": "in_use"}})
    async def delete_item(item_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
        await handlers.delete_item(pool, principal=principal, kind=kind, item_id=item_id)
        return Response(status_code=204)

    return router
