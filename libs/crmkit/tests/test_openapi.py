"""The OpenAPI post-processing (crmkit.openapi) and the Allow of a 405 (crmkit.errors), no I/O."""
from __future__ import annotations

import uuid

import httpx
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

from crmkit import errors, openapi
from crmkit.auth import CurrentPrincipal, require_roles
from crmkit.idempotency import IdempotencyKey
from crmkit.pagination import Cursor
from crmkit.versions import IfMatch, RequiredVersion

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


class Thing(BaseModel):
    name: str


def app_with_routes() -> FastAPI:
    app = FastAPI()
    errors.install_handlers(app)
    openapi.install(app)
    router = APIRouter(prefix="/api/v1/things")

    @router.get("")
    async def list_things(principal: CurrentPrincipal, cursor: Cursor = None):
        return []

    @router.post("", dependencies=[require_roles("manager")], responses={409: {"description": "name_exists"}})
    async def create_thing(body: Thing, principal: CurrentPrincipal, key: IdempotencyKey):
        return body

    @router.get("/{thing_id}")
    async def get_thing(thing_id: uuid.UUID, principal: CurrentPrincipal):
        return {}

    @router.patch("/{thing_id}", responses={428: {"description": "precondition_required"}})
    async def patch_thing(thing_id: uuid.UUID, body: Thing, principal: CurrentPrincipal, if_match: IfMatch = None):
        return body

    @router.delete("/{thing_id}")
    async def delete_thing(thing_id: uuid.UUID, principal: CurrentPrincipal, version: RequiredVersion):
        return None

    app.include_router(router)

    @app.get("/api/v1/open")
    async def public():
        return {}

    return app


def test_every_error_is_a_problem_and_derived_where_it_happens():
    app = app_with_routes()
    document = app.openapi()
    assert app.openapi() is document  # FastAPI's cache kept, processed once
    schemas = document["components"]["schemas"]
    assert "Problem" in schemas and "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    things, thing = document["paths"]["/api/v1/things"], document["paths"]["/api/v1/things/{thing_id}"]
    assert set(things["get"]["responses"]) == {"200", "400", "401", "422", "429"}
    assert set(things["post"]["responses"]) == {"200", "400", "401", "403", "409", "413", "422", "429"}
    assert things["post"]["responses"]["409"]["description"].startswith("name_exists")  # explicit ones kept
    assert set(thing["get"]["responses"]) == {"200", "401", "404", "422", "429"}
    for method in ("patch", "delete"):
        assert {"412", "428"} <= set(thing[method]["responses"])
        if_match = [p for p in thing[method]["parameters"] if p["name"] == "if-match"][0]
        assert if_match["required"] is True
    for path_item in document["paths"].values():
        for op in path_item.values():
            assert all(r["content"] == PROBLEM for s, r in op["responses"].items() if s[0] in "45")
    assert things["get"]["security"] == [{"bearerAuth": []}, {"apiKey": []}]
    assert document["paths"]["/api/v1/open"]["get"]["security"] == []


def test_idempotency_key_declared_with_its_problems_and_no_parameter_is_null():
    document = app_with_routes().openapi()
    create = document["paths"]["/api/v1/things"]["post"]
    key = next(p for p in create["parameters"] if p["name"] == "Idempotency-Key")
    assert key["in"] == "header" and key["required"] is False
    assert key["schema"]["type"] == "string" and key["schema"]["maxLength"] == 255 and key["schema"]["pattern"]
    assert create["responses"]["409"]["description"].startswith("name_exists; idempotency_in_flight")
    assert "idempotency_key_reused" in create["responses"]["422"]["description"]
    listing = document["paths"]["/api/v1/things"]["get"]
    assert "409" not in listing["responses"]
    for path_item in document["paths"].values():
        for op in path_item.values():
            for parameter in op.get("parameters", []):  # a header or query value is never JSON null
                assert "anyOf" not in parameter["schema"] and parameter["schema"].get("type") != "null", parameter


async def test_405_allow_names_every_method_of_the_path():
    app = app_with_routes()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.put(f"/api/v1/things/{uuid.uuid4()}")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
    assert response.headers["allow"] == "DELETE, GET, PATCH"  # Starlette said GET: the first route's
