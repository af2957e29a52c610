"""Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) for creating POSTs and bulk actions.

Same key + same request → the stored response is replayed; same key + another body → 422;
a request with that key still in flight → 409. Keys are scoped to the caller and kept 24 h.

An operation honours the header by declaring it (`key: IdempotencyKey`, passed to `idempotent`), so
that its OpenAPI document says so (crmkit.openapi derives the 409 and 422 from the declaration).
"""
from __future__ import annotations

import hashlib
from typing import Annotated
from collections.abc import Awaitable, Callable

import asyncpg
from fastapi import Depends, Header, Request
from fastapi.responses import Response

from crmkit.errors import FieldError, ProblemError

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
RETENTION_HOURS = 24
# not blank, in visible ASCII as header values are (the OpenAPI document says so, crmkit.openapi)
KEY_PATTERN = r"^[ -~]*[!-~][ -~]*$"


def idempotency_key(key: Annotated[str | None, Header(
        alias=HEADER, max_length=MAX_KEY_LENGTH,
        description="a unique value per intended action (e.g. a UUID): a retry with the same key and "
                    "body replays the first answer (`Idempotent-Replayed: true`); kept 24 h")] = None) -> str | None:
    if key is not None and not key.strip():
        raise ProblemError(422, "validation_error", errors=[FieldError(HEADER, "required")])
    return key


IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\0".join([method.encode(), path.encode(), body])).hexdigest()


async def idempotent(
    request: Request,
    pool: asyncpg.Pool,
    owner: str,
    produce: Callable[[], Awaitable[Response]],
    *,
    key: str | None,
) -> Response:
    """Run `produce` at most once per (owner, key: the operation's `IdempotencyKey`); without one just run it."""
    if key is None:
        return await produce()
    print_ = fingerprint(request.method, request.url.path, await request.body())
    claimed = await pool.fetchval(
        "INSERT INTO idempotency_keys(owner, key, method, path, fingerprint) VALUES ($1,$2,$3,$4,$5)"
        " ON CONFLICT (owner, key) DO UPDATE SET owner = EXCLUDED.owner, method = EXCLUDED.method,"
        "   path = EXCLUDED.path, fingerprint = EXCLUDED.fingerprint, state = 'in_flight',"
        "   response_status = NULL, response_headers = NULL, response_body = NULL, created_at = now()"
        "   WHERE idempotency_keys.created_at < now() - make_interval(hours => $6)"
        " RETURNING true",
        owner, key, request.method, request.url.path, print_, RETENTION_HOURS,
    )
    if not claimed:
        return await _replay(pool, owner, key, print_)
    try:
        response = await produce()
    except BaseException:
        await pool.execute("DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2", owner, key)
        raise
    body = bytes(response.body) if hasattr(response, "body") else b""
    headers = {k: v for k, v in response.headers.items() if k.lower() in ("location", "etag", "content-type")}
    await pool.execute(
        "UPDATE idempotency_keys SET state = 'done', response_status = $3, response_headers = $4,"
        " response_body = $5 WHERE owner = $1 AND key = $2",
        owner, key, response.status_code, headers, body,
    )
    return response


async def _replay(pool: asyncpg.Pool, owner: str, key: str, print_: str) -> Response:
    row = await pool.fetchrow(
        "SELECT fingerprint, state, response_status, response_headers, response_body"
        " FROM idempotency_keys WHERE owner = $1 AND key = $2", owner, key,
    )
    if row is None:  # deleted by a failed attempt meanwhile: treat as in flight, the client retries
        raise ProblemError(409, "idempotency_in_flight")
    if row["fingerprint"] != print_:
        raise ProblemError(422, "idempotency_key_reused")
    if row["state"] != "done":
        raise ProblemError(409, "idempotency_in_flight")
    headers = dict(row["response_headers"] or {})
    headers["Idempotent-Replayed"] = "true"
    return Response(content=row["response_body"], status_code=row["response_status"], headers=headers)


async def purge_expired(pool: asyncpg.Pool) -> None:
    await pool.execute(
        "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)", RETENTION_HOURS
    )

