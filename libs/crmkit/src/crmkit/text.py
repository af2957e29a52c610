"""The one rule for text a client sends: no NUL and no unpaired surrogate. PostgreSQL stores
neither (asyncpg refuses them) and UTF-8 cannot carry a surrogate, so such text is refused with 422
`invalid_characters` naming each field, before any handler runs: JSON bodies, form fields, query
and path parameters of every route (`refuse_invalid_text`, an app-wide dependency of
`crmkit.service.create_service_app`). Bodies a route streams itself (uploads, the gateway's proxy)
are not read here: only what FastAPI has already parsed for the route is looked at."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import orjson
from fastapi import Request
from fastapi import params as fastapi_params
from starlette.datastructures import UploadFile

from crmkit.errors import FieldError, ProblemError

CODE = "invalid_characters"
# A parsed str holds a surrogate only when it is unpaired: JSON decoding joins escaped pairs.
_INVALID = re.compile("[\x00\ud800-\udfff]")


def is_invalid(text: str) -> bool:
    return _INVALID.search(text) is not None


def printable(text: str) -> str:
    """`text` with NUL and surrogates replaced by U+FFFD, safe to echo (e.g. as a field name)."""
    return _INVALID.sub("\ufffd", text)


def invalid_fields(value: Any, path: str = "") -> Iterator[str]:
    """The dotted paths (`filter.q`, `phones.0`) of the strings in a JSON-like `value` (keys
    included) that break the rule; `path` names `value` itself ("" is the body: `body`)."""
    if isinstance(value, str):
        if is_invalid(value):
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{printable(str(key))}" if path else printable(str(key))
            if isinstance(key, str) and is_invalid(key):
                yield name
            yield from invalid_fields(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from invalid_fields(item, f"{path}.{index}" if path else str(index))


def _pairs(pairs: Iterable[tuple[str, Any]]) -> Iterator[str]:
    for name, value in pairs:
        if is_invalid(name):
            yield printable(name)
        elif isinstance(value, str) and is_invalid(value):
            yield name
        elif isinstance(value, UploadFile) and value.filename and is_invalid(value.filename):
            yield name


def _may_be_invalid(body: Any) -> bool:
    """A pre-check that spares walking a clean body in Python: orjson (in Rust, about a fifth of
    the time json.loads took for the body) refuses surrogates and writes NUL as the escape \\u0000
    (as it writes a backslash followed by "u0000": then the walk finds nothing)."""
    try:
        return b"\\u0000" in orjson.dumps(body)
    except orjson.JSONEncodeError:  # a surrogate, or an integer beyond 64 bits: walk
        return True


async def _body_fields(request: Request) -> list[str]:
    body_field = getattr(request.scope.get("route"), "body_field", None)
    if body_field is None:  # the route reads its body itself, if at all
        return []
    if isinstance(body_field.field_info, fastapi_params.Form):
        return list(_pairs((await request.form()).multi_items()))  # already parsed: cached
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if not media_type.endswith("json") or not await request.body():  # not parsed as JSON for the route
        return []
    body = await request.json()  # parsed already for the route: cached
    return list(invalid_fields(body)) if _may_be_invalid(body) else []


async def refuse_invalid_text(request: Request) -> None:
    fields = [*_pairs(request.path_params.items()), *_pairs(request.query_params.multi_items()),
              *await _body_fields(request)]
    if fields:
        raise ProblemError(422, CODE, errors=[FieldError(name, CODE) for name in dict.fromkeys(fields)])
