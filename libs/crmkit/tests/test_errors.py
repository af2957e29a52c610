"""problem+json (RFC 9457) through a tiny FastAPI app (no I/O)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import asyncpg
import httpx
import pytest
from fastapi import FastAPI, HTTPException
from pydantic import AfterValidator, BaseModel, Field

from crmkit import errors
from crmkit.errors import FieldError, ProblemError
from crmkit.middleware import RequestContextMiddleware

SECRET = "password=hunter2 at db.internal:5432"


class Thing(BaseModel):
    name: str = Field(min_length=2, max_length=5)
    kind: Literal["a", "b"]
    count: int = Field(ge=0)
    tags: list[str] = []


def make_app() -> FastAPI:
    app = FastAPI()
    errors.install_handlers(app)
    app.add_middleware(RequestContextMiddleware, service="crmkit-test", max_body_bytes=10_000)

    @app.post("/things", status_code=201)
    async def create(thing: Thing):
        return thing

    @app.get("/things/{thing_id}")
    async def read(thing_id: int):
        raise errors.not_found()

    @app.get("/forbidden")
    async def forbidden():
        raise errors.forbidden()

    @app.get("/phone")
    async def phone():
        raise errors.field_errors(FieldError("phone", "too_long", {"max_length": 15}))

    @app.get("/conflict")
    async def conflict():
        raise ProblemError(409, "version_conflict", headers={"ETag": '"7"'}, extra={"current_version": 7})

    @app.get("/teapot")
    async def teapot():
        raise HTTPException(status_code=400, detail="raw detail from starlette")

    @app.get("/boom")
    async def boom():
        raise RuntimeError(SECRET)

    @app.get("/database-restarting")
    async def database_restarting():
        raise asyncpg.CannotConnectNowError("the database system is starting up")

    @app.get("/closed-before-commit")
    async def closed_before_commit():
        raise asyncpg.InterfaceError("cannot call Transaction.__aexit__(): the underlying connection is closed")

    @app.get("/shut-down-while-handed-out")
    async def shut_down_while_handed_out():
        raise asyncpg.InternalClientError("cannot switch to state 15; another operation (2) is in progress")

    @app.get("/connection-lost")
    async def connection_lost():
        try:
            raise asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation")
        except asyncpg.InterfaceError:  # what a transaction's exit raises on the dead connection
            raise asyncpg.InterfaceError("cannot call Transaction.__aexit__(): the connection is closed") from None

    return app


@pytest.fixture
async def client():
    transport = httpx.ASGITransport(app=make_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


def _problem(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith("/" + code)
    assert body["title"] and body["detail"]
    return body


async def test_vietnamese_by_default(client):
    response = await client.get("/things/1")
    body = _problem(response, 404, "not_found")
    assert body["title"] == "Không tìm thấy"
    assert body["instance"] == "/things/1"
    assert response.headers["content-language"] == "vi"


async def test_english_on_accept_language_en(client):
    response = await client.get("/things/1", headers={"Accept-Language": "en"})
    body = _problem(response, 404, "not_found")
    assert body["title"] == "Not found"
    assert response.headers["content-language"] == "en"
    body = _problem(await client.get("/forbidden", headers={"Accept-Language": "en-GB,vi;q=0.5"}), 403, "forbidden")
    assert body["title"] == "Forbidden"


async def test_field_errors_from_pydantic_validation(client):
    response = await client.post("/things", json={"name": "x" * 10, "kind": "z", "count": -1, "tags": "no"})
    body = _problem(response, 422, "validation_error")
    assert body["title"] == "Dữ liệu không hợp lệ"
    by_field = {e["field"]: e for e in body["errors"]}
    assert set(by_field) == {"name", "kind", "count", "tags"}
    assert by_field["name"]["code"] == "too_long"
    assert by_field["name"]["message"] == "Tối đa 5 ký tự."
    assert by_field["kind"]["code"] == "invalid_choice"
    assert "'a'" in by_field["kind"]["message"] and "'b'" in by_field["kind"]["message"]
    assert by_field["count"]["code"] == "out_of_range"
    assert by_field["tags"]["code"] == "invalid_type"

    response = await client.post("/things", json={"count": 1}, headers={"Accept-Language": "en"})
    body = _problem(response, 422, "validation_error")
    assert {e["field"]: e["code"] for e in body["errors"]} == {"name": "required", "kind": "required"}
    assert body["errors"][0]["message"] == "This field is required."

    response = await client.post("/things", json={"name": "abc", "kind": "a", "count": 1, "tags": [1]})
    body = _problem(response, 422, "validation_error")
    assert [e["field"] for e in body["errors"]] == ["tags.0"]

    response = await client.get("/things/not-a-number")
    body = _problem(response, 422, "validation_error")
    assert body["errors"] == [{"field": "thing_id", "code": "invalid_type", "message": "Giá trị không đúng kiểu."}]


async def test_malformed_json_body(client):
    response = await client.post("/things", content=b'{"name": ', headers={"content-type": "application/json"})
    body = _problem(response, 422, "validation_error")
    assert body["errors"][0]["field"] == "body"
    assert body["errors"][0]["code"] == "invalid_json"


async def test_explicit_field_errors_headers_and_extra(client):
    body = _problem(await client.get("/phone", headers={"Accept-Language": "en"}), 422, "validation_error")
    assert body["errors"] == [{"field": "phone", "code": "too_long", "message": "At most 15 characters."}]
    response = await client.get("/conflict")
    body = _problem(response, 409, "version_conflict")
    assert body["current_version"] == 7
    assert response.headers["etag"] == '"7"'


async def test_starlette_errors_become_problems(client):
    body = _problem(await client.get("/nowhere"), 404, "not_found")
    assert body["instance"] == "/nowhere"
    _problem(await client.delete("/phone"), 405, "method_not_allowed")
    body = _problem(await client.get("/teapot", headers={"Accept-Language": "en"}), 400, "bad_request")
    assert "raw detail" not in body["detail"]


async def test_an_outage_of_the_database_is_503_to_retry(client):
    for path in ("/database-restarting", "/connection-lost", "/closed-before-commit", "/shut-down-while-handed-out"):
        response = await client.get(path, headers={"Accept-Language": "en"})
        body = _problem(response, 503, "database_unavailable")
        assert response.headers["Retry-After"] == "5" == str(body["retry_after"])
        assert "asyncpg" not in response.text


async def test_500_without_internals(client):
    response = await client.get("/boom", headers={"X-Request-Id": "req-123"})
    body = _problem(response, 500, "internal_error")
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    assert "Traceback" not in response.text
    assert "req-123" in body["detail"]  # the request id, so that the log line can be found
    response = await client.get("/boom", headers={"Accept-Language": "en"})
    body = _problem(response, 500, "internal_error")
    assert body["title"] == "Internal error"
    assert "hunter2" not in response.text


@pytest.mark.parametrize("member", sorted(errors.PROBLEM_MEMBERS))
def test_extra_never_replaces_a_problem_member(member):
    """RFC 9457: `status` is the HTTP status (an integer), `type`/`title`/`detail`/`instance` and our
    `code`/`errors` are the problem's own; a use case's extra data goes under other names."""
    with pytest.raises(ValueError, match=member):
        ProblemError(409, "assignment_not_offered", extra={member: "declined"})
    assert ProblemError(409, "assignment_not_offered", extra={"assignment_status": "declined"}).extra


def test_no_problem_in_the_code_base_passes_a_member_as_extra():
    """A static audit of every `ProblemError(..., extra={...})` literal, for paths no test reaches."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    sources = [p for top in ("gateway", "services", "libs") for p in (root / top).glob("**/src/**/*.py")]
    clashes = []
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and "ProblemError" in (getattr(node.func, "id", None),
                                                                        getattr(node.func, "attr", None))):
                continue
            for keyword in node.keywords:
                if keyword.arg == "extra" and isinstance(keyword.value, ast.Dict):
                    keys = {k.value for k in keyword.value.keys if isinstance(k, ast.Constant)}
                    clashes += [f"{path.relative_to(root)}:{node.lineno} {key}"
                                for key in keys & errors.PROBLEM_MEMBERS]
    assert sources and clashes == []


class Place(BaseModel):
    code: int


class Moving(BaseModel):
    where: str | int | Place
    when: list[Annotated[str, AfterValidator(str.strip)] | int] = []
    notes: dict[str, str] = {}


async def test_field_names_never_show_the_members_of_a_union():
    app = FastAPI()
    errors.install_handlers(app)

    @app.post("/moves")
    async def move(moving: Moving):
        return moving

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        r = await client.post("/moves", json={"where": [1], "when": ["x", 1.5], "notes": {"int": 5}})
        assert r.status_code == 422
        assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [
            ("where", "invalid_type"), ("when.1", "invalid_type"), ("notes.int", "invalid_type")]
        r = await client.post("/moves", json={"where": {"code": "x"}})
        assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [
            ("where", "invalid_type"), ("where.code", "invalid_type")]


async def test_a_bad_date_or_instant_names_the_format():
    app = FastAPI()
    errors.install_handlers(app)

    @app.get("/days")
    async def days(day: date, at: datetime | None = None):
        return {}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        r = await client.get("/days", params={"day": "31/02/2025", "at": "tomorrow"},
                             headers={"Accept-Language": "en"})
        assert r.status_code == 422
        assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("day", "invalid_date"), ("at", "invalid_datetime")]
        assert "YYYY-MM-DD" in r.json()["errors"][0]["message"] and "ISO 8601" in r.json()["errors"][1]["message"]
