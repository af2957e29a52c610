"""Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) for creating POSTs and bulk actions.

Same key + same request → the stored response is replayed; same key + another body → 422;
a request with that key still in flight → 409. Keys are scoped to the caller and kept 24 h.
"""
from __future__ import annotations

import hashlib
from typing import Awaitable, Callable

import asyncpg
from fastapi import Request
from fastapi.responses import Response

from crmkit.errors import FieldError, ProblemError

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
RETENTION_HOURS = 24


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\0".join([method.encode(), path.encode(), body])).hexdigest()


async def idempotent(
    request: Request,
    pool: asyncpg.Pool,
    owner: str,
    produce: Callable[[], Awaitable[Response]],
) -> Response:
    """Run `produce` at most once per (owner, Idempotency-Key); without the header just run it."""
    key = request.headers.get(HEADER)
    if key is None:
        return await produce()
    if not key.strip():
        raise ProblemError(422, "validation_error", errors=[FieldError(HEADER, "required")])
    if len(key) > MAX_KEY_LENGTH:
        raise ProblemError(422, "validation_error", errors=[FieldError(HEADER, "too_long", {"max_length": MAX_KEY_LENGTH})])
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

