"""Optimistic concurrency over HTTP: the ETag is the record's version, writes carry If-Match."""
from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Depends, Header, Response
from pydantic import BaseModel

from crmkit.domain_errors import VersionConflict, VersionRequired

_VERSION_TAG = re.compile(r'(?:W/)?"?(\d{1,9})"?')
IfMatch = Annotated[str | None, Header(max_length=64, description='the ETag read, e.g. "3"')]


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(if_match: str | None, *, required: bool = True) -> int | None:
    """The version named by If-Match (the first tag of a list); `*` matches any version.
    Missing: 428 when required; unreadable: 412."""
    tag = (if_match or "").split(",")[0].strip()
    if not tag:
        if required:
            raise VersionRequired()
        return None
    if tag == "*":
        return None
    match = _VERSION_TAG.fullmatch(tag)
    if not match:
        raise VersionConflict()
    return int(match.group(1))


async def required_version(if_match: IfMatch = None) -> int | None:
    """As a dependency: the version If-Match names, 428 without it (the OpenAPI document marks the
    header required, crmkit.openapi)."""
    return expected_version(if_match)


RequiredVersion = Annotated[int | None, Depends(required_version)]


def versioned(model: type[BaseModel], row: dict[str, Any], status_code: int = 200,
              headers: dict[str, str] | None = None) -> Response:
    """The row as `model` JSON with its version as ETag."""
    return Response(model.model_validate(row).model_dump_json(), status_code=status_code,
                    media_type="application/json", headers={"ETag": etag(row["version"]), **(headers or {})})


def check_version(current: int, expected: int | None) -> None:
    """412 when the caller read another version than the stored one (`expected` None: If-Match `*`)."""
    if expected is not None and current != expected:
        raise VersionConflict(details={"current_version": current})
