"""The one text rule of every service built by the factory: NUL and unpaired surrogates are refused
with 422 `invalid_characters` naming the field, in JSON bodies, form fields, query and path
parameters; bodies a route streams itself are not read."""
from __future__ import annotations

from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Form, Request
from pydantic import BaseModel

from crmkit import text
from crmkit.service import ServiceSpec, create_service_app
from crmkit.settings import ServiceSettings


class Phone(BaseModel):
    number: str


class CustomerIn(BaseModel):
    full_name: str
    phones: list[Phone] = []
    custom_fields: dict[str, str] = {}


def make_app(tmp_path):
    router = APIRouter(prefix="/api/v1")

    @router.post("/customers")
    async def create(body: CustomerIn):
        return {"full_name": body.full_name}

    @router.get("/customers/{code}")
    async def search(code: str, q: str | None = None):
        return {"code": code, "q": q}

    @router.post("/forms")
    async def form(name: Annotated[str, Form()]):
        return {"name": name}

    @router.post("/uploads")
    async def upload(request: Request):
        return {"size": sum([len(chunk) async for chunk in request.stream()])}

    settings = ServiceSettings(service_name="texttest", max_body_bytes=4 * 1024 * 1024)
    return create_service_app(ServiceSpec(name="texttest", settings=settings, migrations_dir=tmp_path,
                                          routers=[router], keeps_directory=False))


@pytest.fixture
async def client(tmp_path):
    transport = httpx.ASGITransport(app=make_app(tmp_path))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c


def raw_json(text_of_body: str) -> dict:
    """Keyword arguments of a request whose body is `text_of_body` as it is (escapes kept)."""
    return {"content": text_of_body.encode(), "headers": {"content-type": "application/json"}}


def assert_refused(response: httpx.Response, *fields: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "invalid_characters"
    assert [e["field"] for e in body["errors"]] == list(fields)
    assert {e["code"] for e in body["errors"]} == {"invalid_characters"}


@pytest.mark.parametrize("body, field", [
    ('{"full_name": "An\\u0000"}', "full_name"),
    ('{"full_name": "An\\ud800"}', "full_name"),
    ('{"full_name": "An\\uDFFF x"}', "full_name"),
    ('{"full_name": "An", "phones": [{"number": "09\\u0000"}]}', "phones.0.number"),
    ('{"full_name": "An", "custom_fields": {"k\\u0000": "v"}}', "custom_fields.k\ufffd"),
])
async def test_json_bodies(client, body, field):
    assert_refused(await client.post("/api/v1/customers", **raw_json(body)), field)


async def test_a_raw_utf8_encoded_surrogate_is_refused_too(client):
    # json.loads decodes bytes with "surrogatepass": the bytes ED A0 80 become U+D800
    response = await client.post("/api/v1/customers", content=b'{"full_name": "An\xed\xa0\x80"}',
                                 headers={"content-type": "application/json"})
    assert_refused(response, "full_name")


async def test_clean_text_passes(client):
    for body in ('{"full_name": "Nguy\\u1ec5n \\ud83d\\ude00 An"}',  # an escaped pair is one emoji
                 '{"full_name": "a backslash: \\\\u0000 is text"}'):
        response = await client.post("/api/v1/customers", **raw_json(body))
        assert response.status_code == 200, response.text
    assert response.json()["full_name"] == "a backslash: \\u0000 is text"


async def test_query_and_path_parameters(client):
    assert_refused(await client.get("/api/v1/customers/x%00y", params={"q": "ok"}), "code")
    assert_refused(await client.get("/api/v1/customers/x", params={"q": "a\x00"}), "q")
    response = await client.get("/api/v1/customers/x", params={"q": "a\x00"}, headers={"accept-language": "en"})
    assert response.json()["errors"][0]["message"].startswith("Contains an invalid character")


async def test_form_fields(client):
    assert_refused(await client.post("/api/v1/forms", data={"name": "a\x00b"}), "name")
    assert (await client.post("/api/v1/forms", data={"name": "ab"})).json() == {"name": "ab"}


async def test_a_streamed_body_is_not_read(client):
    body = b'{"full_name": "An\\u0000"}' * 1000
    response = await client.post("/api/v1/uploads", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200 and response.json() == {"size": len(body)}


def test_the_precheck_walks_only_a_body_that_may_break_the_rule():
    """Its cost beside json.loads is measured by bench/text_rule_bench.py, not asserted here."""
    clean = {"rows": [{"full_name": "Nguyễn Văn An", "note": "ghi chú " * 20}]}
    assert not text._may_be_invalid(clean)
    assert text._may_be_invalid({"a": ["x", {"b": "\x00"}]})
    assert text._may_be_invalid({"a": "\ud800"})
    assert list(text.invalid_fields({"a": ["x", {"b": "\x00"}]})) == ["a.1.b"]
