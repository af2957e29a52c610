"""ETag = the record's version; If-Match on writes (as in the customers service)."""
from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Header, Response
from pydantic import BaseModel

from crmkit.errors import ProblemError

_VERSION_TAG = re.compile(r'\s*(?:W/)?"?(\d{1,9})"?\s*')
IfMatch = Annotated[str | None, Header(max_length=64, description='the ETag read, e.g. "3"')]


def expected_version(if_match: str | None, *, required: bool = True) -> int | None:
    """The version of an If-Match header; `*` means any. Missing: 428 when required; unreadable: 412."""
    if if_match is None:
        if required:
            raise ProblemError(428, "precondition_required")
        return None
    if if_match.strip() == "*":
        return None
    match = _VERSION_TAG.fullmatch(if_match)
    if not match:
        raise ProblemError(412, "version_conflict")
    return int(match.group(1))


def versioned(model: type[BaseModel], row: dict[str, Any], status_code: int = 200,
              headers: dict[str, str] | None = None) -> Response:
    return Response(model.model_validate(row).model_dump_json(), status_code=status_code,
                    media_type="application/json", headers={"ETag": f'"{row["version"]}"', **(headers or {})})
