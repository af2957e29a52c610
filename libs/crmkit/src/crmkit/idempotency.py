"""Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) for creating POSTs and bulk actions.

Same key + same request → the stored response is replayed (`Idempotent-Replayed: true`); same key +
another body → 422; keys are scoped to the caller and kept 24 h.

The key, the effect and the answer commit in one transaction. The route declares `once: Idempotent`,
runs its use case on `once.pool` and answers through `once.answer(response)`:

    async def create_customer(body: CustomerCreate, principal: CurrentPrincipal, once: Idempotent) -> Response:
        customer = await handlers.create_customer(once.pool, principal=principal, ...)
        return once.answer(customer_response(customer, 201))

With a key, `once.pool` hands out one connection in one open transaction that began by claiming the
key: the handler runs unchanged (its units of work become savepoints, as nested `atomic()` blocks do
in Django), and the answer is written beside the key before that transaction commits — so a process
killed anywhere leaves either nothing (the retry runs afresh) or the effect with its answer (the
retry replays it). A second request with the same key waits on the first one's claim (a unique index
entry) and then replays its answer; one still running after `CLAIM_WAIT_SECONDS` is 409
`idempotency_in_flight`.

The Kafka inbox (crmkit.consumer) is the same pattern — the event id claimed in the transaction that
applies the event — in its own table: it has no fingerprint and no answer to keep.
"""
from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Header, Request
from fastapi.responses import Response

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool
from crmkit.errors import EarlyAnswer, FieldError, ProblemError

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
RETENTION_HOURS = 24
CLAIM_WAIT_SECONDS = 10.0
# not blank, in visible ASCII as header values are (the OpenAPI document says so, crmkit.openapi)
KEY_PATTERN = r"^[ -~]*[!-~][ -~]*$"
REPLAYED_HEADERS = ("location", "etag", "content-type")


async def idempotency_key(key: Annotated[str | None, Header(
        alias=HEADER, max_length=MAX_KEY_LENGTH,
        description="a unique value per intended action (e.g. a UUID): a retry with the same key and "
                    "body replays the first answer (`Idempotent-Replayed: true`); kept 24 h")] = None) -> str | None:
    if key is not None and not key.strip():
        raise ProblemError(422, "validation_error", errors=[FieldError(HEADER, "required")])
    return key


IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\0".join([method.encode(), path.encode(), body])).hexdigest()


class TransactionPool:
    """Looks like the pool to a handler; every connection it gives is the one connection of the
    request's transaction (`conn.transaction()` on it opens a savepoint)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    def acquire(self) -> _Lent:
        return _Lent(self._conn)

    async def release(self, conn: asyncpg.Connection) -> None:
        """Nothing to give back: the connection stays with the request."""

    async def execute(self, query: str, *args: Any) -> str:
        status: str = await self._conn.execute(query, *args)
        return status

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self._conn.fetch(query, *args)
        return rows

    async def fetchrow(self, query: str, *args: Any) -> asyncpg.Record | None:
        return await self._conn.fetchrow(query, *args)

    async def fetchval(self, query: str, *args: Any) -> Any:
        return await self._conn.fetchval(query, *args)


class _Lent:
    """`async with pool.acquire() as conn` and `await pool.acquire()`, without a release."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def __aenter__(self) -> asyncpg.Connection:
        return self._conn

    async def __aexit__(self, *exc_info: object) -> None:
        return None

    def __await__(self) -> Any:
        return self.__aenter__().__await__()


@dataclass
class Once:
    """What an idempotent route runs on (`pool`) and answers through (`answer`)."""

    pool: asyncpg.Pool  # a TransactionPool when the request carries a key
    response: Response | None = None

    def answer(self, response: Response) -> Response:
        """The route's response, recorded with the key (in the same transaction) when there is one."""
        self.response = response
        return response


async def _once(request: Request, pool: DbPool, principal: CurrentPrincipal,
                key: IdempotencyKey) -> AsyncIterator[Once]:
    if key is None:
        yield Once(pool)
        return
    owner = str(principal.user_id)
    print_ = fingerprint(request.method, request.url.path, await request.body())
    async with pool.acquire() as conn, conn.transaction():
        if not await _claim(conn, owner, key, request, print_):
            raise EarlyAnswer(await _stored_answer(conn, owner, key, print_))
        once = Once(TransactionPool(conn))  # quacks like the pool
        yield once  # the route runs; an exception it raises rolls back the claim and the effect
        if once.response is None:
            raise RuntimeError("an idempotent route answers through once.answer(response)")
        await _record(conn, owner, key, once.response)


# function scope: the claim's transaction commits when the route returns, before the answer is sent
Idempotent = Annotated[Once, Depends(_once, scope="function")]


async def _claim(conn: asyncpg.Connection, owner: str, key: str, request: Request, print_: str) -> bool:
    """True when this request owns the key now (new, or expired and taken over); waits for a request
    holding the same key to finish first."""
    await conn.execute(f"SET LOCAL lock_timeout = '{int(CLAIM_WAIT_SECONDS * 1000)}ms'")
    try:
        claimed = await conn.fetchval(
            "INSERT INTO idempotency_keys(owner, key, method, path, fingerprint) VALUES ($1,$2,$3,$4,$5)"
            " ON CONFLICT (owner, key) DO UPDATE SET method = EXCLUDED.method, path = EXCLUDED.path,"
            "   fingerprint = EXCLUDED.fingerprint, state = 'in_flight', response_status = NULL,"
            "   response_headers = NULL, response_body = NULL, created_at = now()"
            "   WHERE idempotency_keys.created_at < now() - make_interval(hours => $6)"
            " RETURNING true",
            owner, key, request.method, request.url.path, print_, RETENTION_HOURS,
        )
    except asyncpg.LockNotAvailableError:
        raise ProblemError(409, "idempotency_in_flight", headers={"Retry-After": "1"}) from None
    await conn.execute("SET LOCAL lock_timeout = DEFAULT")
    return bool(claimed)


async def _stored_answer(conn: asyncpg.Connection, owner: str, key: str, print_: str) -> Response:
    row = await conn.fetchrow(
        "SELECT fingerprint, state, response_status, response_headers, response_body"
        " FROM idempotency_keys WHERE owner = $1 AND key = $2", owner, key,
    )
    if row["fingerprint"] != print_:
        raise ProblemError(422, "idempotency_key_reused")
    if row["state"] != "done":  # left by a release before claims and answers shared a transaction
        raise ProblemError(409, "idempotency_in_flight")
    headers = dict(row["response_headers"] or {})
    headers["Idempotent-Replayed"] = "true"
    return Response(content=row["response_body"], status_code=row["response_status"], headers=headers)


async def _record(conn: asyncpg.Connection, owner: str, key: str, response: Response) -> None:
    body = bytes(response.body) if hasattr(response, "body") else b""
    headers = {name: value for name, value in response.headers.items() if name.lower() in REPLAYED_HEADERS}
    await conn.execute(
        "UPDATE idempotency_keys SET state = 'done', response_status = $3, response_headers = $4,"
        " response_body = $5 WHERE owner = $1 AND key = $2",
        owner, key, response.status_code, headers, body,
    )


async def purge_expired(pool: asyncpg.Pool) -> None:
    await pool.execute(
        "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)", RETENTION_HOURS
    )
