"""The merged OpenAPI document tells the truth about errors (issue 8, item 10): one `Problem`
schema, served as application/problem+json, referenced by every error response; 401 on every
authenticated operation, 428 (and a required If-Match) where a write needs its ETag, 400 where a
list takes a cursor, 404 where a path names a record; the 422 on the wire validates against the
published schema; a 405 names in `Allow` the methods the path really serves; every operation that
honours `Idempotency-Key` declares it."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import uuid

import jsonschema
import pytest
from fastapi import APIRouter
from fastapi.routing import APIRoute

from e2e_support import random_mobile

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
ANY_ID = "00000000-0000-0000-0000-000000000001"


@pytest.fixture(scope="module")
async def document(client):
    response = await client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["x-unavailable-services"] in ([], ["compensation", "import"])
    return response.json()


def operations(document):
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def if_match(op) -> dict | None:
    return next((p for p in op.get("parameters", []) if p["in"] == "header" and p["name"].lower() == "if-match"),
                None)


async def test_one_problem_schema_referenced_by_every_error_response(document):
    schemas = document["components"]["schemas"]
    assert "Problem" in schemas
    assert not [name for name in schemas if "ValidationError" in name or name.endswith("_Problem")]
    assert set(schemas["Problem"]["properties"]["errors"]["items"]["properties"]) == {"field", "code", "message"}
    wrong = [(method, path, status) for path, method, op in operations(document)
             for status, response in op["responses"].items()
             if status[0] in "45" and response.get("content") != PROBLEM_CONTENT]
    assert wrong == []


async def test_errors_documented_where_they_happen(document):
    missing = []
    for path, method, op in operations(document):
        statuses = set(op["responses"])
        parameters = op.get("parameters", [])
        expected = set()
        if op.get("security", document.get("security")):
            expected |= {"401"}
        if any(p["in"] == "path" for p in parameters):
            expected.add("404")
        if any(p["in"] == "query" and p["name"] == "cursor" for p in parameters) or "requestBody" in op:
            expected.add("400")  # invalid_cursor; a body that is not UTF-8 / JSON
        if if_match(op):
            expected.add("412")
        if if_match(op) and if_match(op).get("required"):
            expected.add("428")
        if "428" in statuses:
            assert if_match(op) and if_match(op)["required"], (method, path)
        if parameters or "requestBody" in op:
            expected.add("422")
        missing += [(method, path, status) for status in expected - statuses]
    assert missing == []
    public = sorted((m, p) for p, m, op in operations(document) if op.get("security") == [])
    # signing in and out (the API's and the console's), and the calendar feed read by its own secret token
    assert public == [("delete", "/api/v1/auth/session"), ("get", "/api/v1/me/calendar.ics"),
                      ("post", "/api/v1/auth/login"), ("post", "/api/v1/auth/logout"),
                      ("post", "/api/v1/auth/refresh"), ("post", "/api/v1/auth/session"),
                      ("post", "/api/v1/auth/session/refresh")], public


async def test_if_match_is_required_where_a_write_needs_it(client, document, admin):
    for path in ("/api/v1/customers/{customer_id}", "/api/v1/users/{user_id}", "/api/v1/units/{unit_id}"):
        op = document["paths"][path]["patch"]
        assert if_match(op)["required"] is True and "428" in op["responses"], path
    me = (await client.get("/api/v1/me", headers=admin)).json()
    response = await client.patch(f"/api/v1/users/{me['id']}", json={"full_name": "Quản trị"}, headers=admin)
    assert response.status_code == 428 and response.json()["code"] == "precondition_required"


async def test_a_real_422_validates_against_the_published_problem(client, document, org):
    response = await client.post("/api/v1/customers", json={"name": "", "phone": "12"},
                                 headers={**org["rep"]["headers"], "Accept-Language": "en"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    jsonschema.validate(response.json(), document["components"]["schemas"]["Problem"])
    assert response.json()["errors"]
    unreadable = await client.post("/api/v1/customers", content=b"\xff\xfe{", headers={
        **org["rep"]["headers"], "Content-Type": "application/json"})
    assert str(unreadable.status_code) in document["paths"]["/api/v1/customers"]["post"]["responses"]
    jsonschema.validate(unreadable.json(), document["components"]["schemas"]["Problem"])
    with pytest.raises(jsonschema.ValidationError):  # FastAPI's shape is not a Problem
        jsonschema.validate({"detail": [{"loc": ["body", "name"], "msg": "x", "type": "missing"}]},
                            document["components"]["schemas"]["Problem"])


@pytest.mark.parametrize("path, template", [
    (f"/api/v1/customers/{ANY_ID}", "/api/v1/customers/{customer_id}"),  # a service's path
    (f"/api/v1/users/{ANY_ID}", "/api/v1/users/{user_id}"),  # the gateway's own
    ("/api/v1/customers", "/api/v1/customers"),
])
async def test_405_allow_lists_what_the_path_serves(client, document, admin, path, template):
    documented = {m.upper() for m in document["paths"][template] if m in HTTP_METHODS}
    unsupported = next(m for m in ("PUT", "DELETE", "PATCH") if m not in documented)
    response = await client.request(unsupported, path, headers=admin)
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
    assert {m.strip() for m in response.headers["allow"].split(",")} == documented


@pytest.mark.parametrize("method, path", [("PATCH", "/api/v1/customers/exports"),
                                          ("DELETE", "/api/v1/customers/exports"), ("GET", "/api/v1/customers/bulk")])
async def test_a_static_path_beside_a_customer_id_is_405_not_a_malformed_id(client, document, admin, method, path):
    response = await client.request(method, path, headers=admin)
    assert response.status_code == 405, response.text
    assert {m.strip() for m in response.headers["allow"].split(",")} == {
        m.upper() for m in document["paths"][path] if m in HTTP_METHODS}


async def test_unknown_gateway_subpath_is_404_not_405(client, admin):
    response = await client.put("/api/v1/users/a/b/c", headers=admin)
    assert response.status_code == 404


API_PACKAGES = ("crm_gateway.api", "crm_customers.api", "crm_interactions.api", "crm_assignment.api", "crm_import.api",
                "crm_compensation.api")
ANSWERS_ONCE = re.compile(r"\bonce\.answer\(")


def routes_running_idempotent():
    """(method, path) of every route whose endpoint answers through crmkit.idempotency's
    `once.answer(...)`, read from the sources of the API modules."""
    for package in API_PACKAGES:
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            module = importlib.import_module(f"{package}.{info.name}")
            for router in [value for value in vars(module).values() if isinstance(value, APIRouter)]:
                for route in router.routes:
                    if isinstance(route, APIRoute) and ANSWERS_ONCE.search(inspect.getsource(route.endpoint)):
                        yield from ((method.lower(), route.path_format) for method in route.methods)


async def test_every_operation_that_honours_idempotency_key_declares_it(document):
    honouring = set(routes_running_idempotent())
    assert ("post", "/api/v1/customers") in honouring and ("post", "/api/v1/users") in honouring
    declaring = set()
    for path, method, op in operations(document):
        key = next((p for p in op.get("parameters", []) if p["in"] == "header" and p["name"] == "Idempotency-Key"),
                   None)
        if key:
            declaring.add((method, path))
            assert key["required"] is False and "maxLength" in str(key["schema"]), (method, path)
            assert "idempotency_in_flight" in op["responses"]["409"]["description"], (method, path)
            assert "idempotency_key_reused" in op["responses"]["422"]["description"], (method, path)
    assert honouring - declaring == set()
    assert declaring - honouring == set()


async def test_a_blank_or_long_idempotency_key_is_refused_as_documented(client, admin):
    for key, code in (("", "required"), ("k" * 256, "too_long")):
        response = await client.post("/api/v1/customer-groups", json={"name": "x", "description": "y"},
                                     headers={**admin, "Idempotency-Key": key})
        assert response.status_code == 422, response.text
        assert response.json()["errors"] == [{"field": "Idempotency-Key", "code": code,
                                              "message": response.json()["errors"][0]["message"]}]


def body_schema(document, path: str, method: str) -> dict:
    ref = document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]


def nullable(schema: dict) -> bool:
    return schema.get("type") == "null" or any(branch.get("type") == "null" for branch in schema.get("anyOf", []))


@pytest.mark.parametrize("path, create", [  # last in position: not the default status of new customers
    ("/api/v1/customer-statuses", {"name": "Trạng thái null", "position": 1_000_000}),
    ("/api/v1/customer-labels", {"name": "Nhãn null", "category": "null_check", "position": 1_000_000}),
    ("/api/v1/customer-groups", {"name": "Nhóm null", "description": "để thử null"}),
])
async def test_no_patch_field_documented_nullable_refuses_null(client, document, admin, path, create):
    """A PATCH field is documented nullable exactly when the server takes `null` (clears it)."""
    tag = uuid.uuid4().hex[:8]
    created = await client.post(path, json={**create, "name": f"{create['name']} {tag}"}, headers=admin)
    assert created.status_code == 201, created.text
    item = f"{path}/{created.json()['id']}"
    fields = body_schema(document, f"{path}/{{item_id}}", "patch")["properties"]
    for field, schema in fields.items():
        response = await client.patch(item, json={field: None}, headers=admin)
        assert (response.status_code == 200) == nullable(schema), (field, schema, response.text)
    assert (await client.delete(item, headers=admin)).status_code == 204


async def test_a_position_is_a_json_integer_not_a_boolean(client, admin):
    created = await client.post("/api/v1/customer-labels", json={
        "name": f"Nhãn vị trí {uuid.uuid4().hex[:8]}", "position": 1_000_000}, headers=admin)
    assert created.status_code == 201, created.text
    item = f"/api/v1/customer-labels/{created.json()['id']}"
    written_as_float = await client.patch(item, json={"position": 999_999.0}, headers=admin)
    assert written_as_float.status_code == 200 and written_as_float.json()["position"] == 999_999
    refused = await client.patch(item, json={"position": False}, headers=admin)
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "invalid_type"
    assert (await client.delete(item, headers=admin)).status_code == 204


async def test_no_versioned_patch_field_documented_nullable_refuses_null(client, document, admin):
    """The same for customers, appointments and tickets (PATCH with If-Match)."""
    phone = random_mobile()
    customer = await client.post("/api/v1/customers", json={"name": "Khách null", "phone": phone}, headers=admin)
    assert customer.status_code == 201, customer.text
    creates = [
        ("/api/v1/customers/{customer_id}", None, customer),
        ("/api/v1/appointments/{appointment_id}", "/api/v1/appointments",
         {"title": "Hẹn null", "type": "meeting", "starts_at": "2026-12-01T09:00:00"}),
        ("/api/v1/care-tickets/{ticket_id}", "/api/v1/care-tickets",
         {"customer_id": customer.json()["id"], "method": "call", "planned_at": "2026-12-01T09:00:00"}),
        ("/api/v1/support-tickets/{ticket_id}", "/api/v1/support-tickets",
         {"customer_id": customer.json()["id"], "title": "Phiếu null"}),
    ]  # (the gateway's units and users refuse null exactly where their schema says: api.common.changes_of)
    wrong = []
    for template, path, body in creates:
        created = body if path is None else await client.post(path, json=body, headers=admin)
        assert created.status_code == 201, created.text
        item = template.split("{")[0] + created.json()["id"]
        for field, schema in body_schema(document, template, "patch")["properties"].items():
            response = await client.patch(item, json={field: None}, headers={**admin, "If-Match": "*"})
            if (response.status_code == 200) != nullable(schema):
                wrong.append((template, field, response.status_code))
    assert wrong == []


async def test_an_upload_names_the_file_names_it_takes(client, document, admin):
    op = document["paths"]["/api/v1/customers/{customer_id}/attachments"]["post"]
    name = next(p for p in op["parameters"] if p["name"] == "filename")["schema"]
    accepted = [value for value in ("", " ", "..", "a/b", "báo giá.pdf") if re.search(name["pattern"], value)]
    assert accepted == ["báo giá.pdf"] and name["maxLength"] == 255
