"""Hostile input through the gateway is a client's mistake, never a 500: text holding NUL or an
unpaired surrogate is 422 `invalid_characters` naming the field (bodies, query and path
parameters, anonymous login included), and any malformed cursor of any list is 400
`invalid_cursor`."""
from __future__ import annotations

import base64
import json
import os
import uuid

import pytest

from e2e_support import PASSWORD, bearer, login, random_mobile

NUL, SURROGATE = "\x00", "\ud800"


def raw(body: dict) -> dict:
    """A JSON body as bytes with its escapes kept (\\u0000, \\ud800): what a hostile client sends."""
    return {"content": json.dumps(body).encode(), "headers": {"content-type": "application/json"}}


def assert_refused(response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "invalid_characters"
    assert problem["status"] == 422
    assert {"field": field, "code": "invalid_characters"}.items() <= problem["errors"][0].items()


@pytest.fixture(scope="module")
async def customer(client, org) -> dict:
    r = await client.post("/api/v1/customers", headers=org["rep"]["headers"],
                          json={"name": "Đỗ Văn Thử", "phone": random_mobile()})
    assert r.status_code == 201, r.text
    return r.json()


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
async def test_anonymous_login(client, bad):
    r = await client.post("/api/v1/auth/login", **raw({"username": f"ad{bad}min", "password": "x"}))
    assert_refused(r, "username")


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
async def test_customer_create_update_and_search(client, org, customer, bad):
    rep = org["rep"]["headers"]
    created = await client.post("/api/v1/customers", **{**raw({"name": f"An{bad}", "phone": random_mobile()}),
                                                        "headers": {**rep, "content-type": "application/json"}})
    assert_refused(created, "name")
    patched = await client.patch(f"/api/v1/customers/{customer['id']}", **{
        **raw({"note": f"ghi chú {bad}", "custom_fields": {"x": "y"}}),
        "headers": {**rep, "content-type": "application/json", "If-Match": f'"{customer["version"]}"'}})
    assert_refused(patched, "note")
    assert_refused(await client.get("/api/v1/customers", params={"q": "An\x00"}, headers=rep), "q")


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
async def test_comment_note_and_a_colleague_search(client, org, customer, bad):
    rep = {**org["rep"]["headers"], "content-type": "application/json"}
    url = f"/api/v1/customers/{customer['id']}"
    assert_refused(await client.post(f"{url}/comments", **{**raw({"text": f"a{bad}b"}), "headers": rep}), "text")
    assert_refused(await client.post(f"{url}/notes", **{**raw({"text": f"a{bad}b"}), "headers": rep}), "text")


async def test_query_and_path_parameters_of_the_gateway_and_a_service(client, admin):
    assert_refused(await client.get("/api/v1/users", params={"q": "ad\x00"}, headers=admin), "q")
    # (customers' own /customers/{customer_id} matches UUIDs only: `ab%00cd` there is 404, no such route).
    # The edge (nginx) refuses a NUL in a path as it reads the request line, before any route: the
    # field it names is the path.
    field = "customer_id" if os.environ.get("CRM_EDGE") == "none" else "path"
    assert_refused(await client.get("/api/v1/customers/ab%00cd/timeline", headers=admin), field)


def crafted(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "%%%", "not base64!", crafted([1]), crafted({"t": "x"}), crafted({"t": "x", "id": "y"}),
    crafted({"t": 5, "id": "seven"}), crafted({"id": 2**70}), crafted({"id": "zz"}),
    crafted({"s": "-created_at", "v": 3, "id": "x"}),
    base64.urlsafe_b64encode(b"{not json").decode(),
], ids=lambda c: c[:20])
async def test_every_list_refuses_a_malformed_cursor_with_400(client, org, customer, cursor):
    rep = org["rep"]["headers"]
    for path in (f"/api/v1/customers/{customer['id']}/timeline", "/api/v1/notifications", "/api/v1/customers",
                 f"/api/v1/customers/{customer['id']}/comments", "/api/v1/assignments", "/api/v1/users"):
        r = await client.get(path, params={"cursor": cursor}, headers=rep)
        assert r.status_code == 400, (path, r.text)
        assert r.json()["code"] == "invalid_cursor", path


def _resolved(spec: dict, schema: dict) -> dict:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema if isinstance(schema, dict) else {}


def _hostile(spec: dict, schema: dict, bad: str, depth: int = 0):
    """A value of `schema` with `bad` in every string it holds."""
    schema = _resolved(spec, schema)
    for union in ("anyOf", "oneOf", "allOf"):
        if union in schema and depth < 6:
            members = [_resolved(spec, s) for s in schema[union]]
            return _hostile(spec, next((m for m in members if m.get("type") != "null"), members[0]), bad, depth + 1)
    kind = schema.get("type")
    if (kind == "object" or "properties" in schema) and depth < 6:
        return {name: _hostile(spec, s, bad, depth + 1) for name, s in schema.get("properties", {}).items()} \
            or {"key": f"a{bad}"}
    if kind == "array" and depth < 6:
        return [_hostile(spec, schema.get("items", {}), bad, depth + 1)]
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    return {"integer": 1, "number": 1.5, "boolean": True}.get(kind, f"a{bad}")


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
async def test_every_operation_refuses_bad_text_before_doing_anything(client, admin, bad):
    """Each operation of the merged OpenAPI, with the bad character in every string parameter and
    body field it has: 422 invalid_characters, whatever it is (so nothing is written)."""
    spec = (await client.get("/api/openapi.json", headers=admin)).json()
    tag = uuid.uuid4().hex[:6]
    created = await client.post("/api/v1/users", headers=admin, json={
        "username": f"sweeper.{tag}", "full_name": "Quét", "password": PASSWORD,
        "unit_id": (await client.get("/api/v1/me", headers=admin)).json()["unit_id"], "roles": ["admin"]})
    assert created.status_code == 201, created.text
    sweeper = {**bearer(await login(client, f"sweeper.{tag}", PASSWORD)), "If-Match": '"1"'}
    not_refused, tried = [], 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete") or path.endswith(("/stream", ".ics")):
                continue
            url, params, hostile = path, {}, False
            for parameter in (_resolved(spec, p) for p in operation.get("parameters", [])):
                is_uuid = _resolved(spec, parameter.get("schema", {})).get("format") == "uuid"
                if parameter["in"] == "path":
                    value = str(uuid.uuid4()) if is_uuid or bad != NUL else "a%00"
                    url = url.replace("{" + parameter["name"] + "}", value)
                    hostile |= not is_uuid and bad == NUL
                elif parameter["in"] == "query" and bad == NUL:  # a URL cannot carry a surrogate
                    params[parameter["name"]], hostile = f"a{bad}", True
            body = None
            schema = (operation.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
            if schema:
                body = json.dumps(_hostile(spec, schema, bad)).encode()
                hostile |= b"\\u0000" in body or b"\\ud800" in body
            if not hostile:
                continue
            tried += 1
            r = await client.request(method.upper(), url, params=params, content=body,
                                     headers={**sweeper, "content-type": "application/json"})
            if r.status_code != 422 or r.json().get("code") != "invalid_characters":
                not_refused.append((method, path, r.status_code, r.text[:200]))
    assert tried > 30 and not_refused == []


async def test_missing_definition_fields_and_null_filter_fields_are_never_a_500(client, admin, org):
    missing = await client.post("/api/v1/customer-attributes", headers=admin, json={})
    assert missing.status_code == 422
    assert {(e["field"], e["code"]) for e in missing.json()["errors"]} == {
        ("key", "required"), ("name", "required"), ("type", "required")}
    rep = org["rep"]["headers"]
    nulls = {"q": None, "birth_month": None, "status": None}
    exported = await client.post("/api/v1/customers/exports", headers=rep, json={"format": "csv", "filter": nulls})
    assert exported.status_code == 202, exported.text
    bulk = await client.post("/api/v1/customers/bulk", headers=rep,
                             json={"action": "add_labels", "labels": ["premium"], "filter": {**nulls, "scope": "mine"}})
    assert bulk.status_code == 200, bulk.text
