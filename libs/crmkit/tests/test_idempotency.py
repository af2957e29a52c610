"""Idempotency-Key: replay, reuse with another body (422), in flight (409); real PostgreSQL."""
from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from crmkit import errors, idempotency
from crmkit.errors import ProblemError
from crmkit.testing import eventually


class Order(BaseModel):
    item: str
    qty: int = 1


@pytest.fixture
async def app_and_state(pool):
    await pool.execute("CREATE TABLE orders (id uuid PRIMARY KEY, item text NOT NULL, qty int NOT NULL)")
    app = FastAPI()
    errors.install_handlers(app)
    state = {"gate": None, "calls": 0}

    @app.post("/orders", status_code=201)
    async def create(order: Order, request: Request, key: idempotency.IdempotencyKey):
        owner = request.headers.get("x-user", "anonymous")

        async def produce():
            state["calls"] += 1
            if state["gate"] is not None:
                await state["gate"].wait()
            if order.item == "explode":
                raise ProblemError(409, "version_conflict")
            order_id = uuid.uuid4()
            await pool.execute("INSERT INTO orders VALUES ($1, $2, $3)", order_id, order.item, order.qty)
            return JSONResponse({"id": str(order_id), "item": order.item, "qty": order.qty}, status_code=201,
                                headers={"Location": f"/orders/{order_id}", "ETag": '"1"', "X-Other": "x"})

        return await idempotency.idempotent(request, pool, owner, produce, key=key)

    return app, state


@pytest.fixture
async def client(app_and_state):
    app, _ = app_and_state
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def test_same_key_same_body_replays(client, pool, app_and_state):
    _, state = app_and_state
    headers = {"Idempotency-Key": "k-1"}
    first = await client.post("/orders", json={"item": "tea", "qty": 2}, headers=headers)
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    second = await client.post("/orders", json={"item": "tea", "qty": 2}, headers=headers)
    assert second.status_code == 201
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json() == first.json()
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["etag"] == '"1"'
    assert second.headers["content-type"] == "application/json"
    assert state["calls"] == 1
    assert await pool.fetchval("SELECT count(*) FROM orders") == 1


async def test_same_key_other_body_is_422(client, pool):
    headers = {"Idempotency-Key": "k-2"}
    assert (await client.post("/orders", json={"item": "tea"}, headers=headers)).status_code == 201
    response = await client.post("/orders", json={"item": "coffee"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert await pool.fetchval("SELECT count(*) FROM orders") == 1


async def test_keys_are_scoped_to_the_caller(client, pool):
    for user in ("alice", "bob"):
        response = await client.post("/orders", json={"item": "tea"}, headers={"Idempotency-Key": "same",
                                                                               "X-User": user})
        assert response.status_code == 201 and "idempotent-replayed" not in response.headers
    assert await pool.fetchval("SELECT count(*) FROM orders") == 2


async def test_without_key_nothing_is_stored(client, pool):
    for _ in range(2):
        assert (await client.post("/orders", json={"item": "tea"})).status_code == 201
    assert await pool.fetchval("SELECT count(*) FROM orders") == 2
    assert await pool.fetchval("SELECT count(*) FROM idempotency_keys") == 0


async def test_invalid_keys(client):
    response = await client.post("/orders", json={"item": "tea"}, headers={"Idempotency-Key": "x" * 300})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    response = await client.post("/orders", json={"item": "tea"}, headers={"Idempotency-Key": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "required"


async def test_concurrent_request_in_flight_is_409(client, pool, app_and_state):
    _, state = app_and_state
    state["gate"] = asyncio.Event()
    headers = {"Idempotency-Key": "k-3"}
    first = asyncio.create_task(client.post("/orders", json={"item": "tea"}, headers=headers))
    try:
        await eventually(lambda: _is_in_flight(pool, "k-3"), message="first request claimed the key")
        second = await client.post("/orders", json={"item": "tea"}, headers=headers)
        assert second.status_code == 409
        assert second.json()["code"] == "idempotency_in_flight"
        # another body while in flight: still a reuse of the key
        other = await client.post("/orders", json={"item": "coffee"}, headers=headers)
        assert other.status_code == 422
    finally:
        state["gate"].set()
    assert (await first).status_code == 201
    third = await client.post("/orders", json={"item": "tea"}, headers=headers)
    assert third.status_code == 201 and third.headers["idempotent-replayed"] == "true"
    assert state["calls"] == 1


async def _is_in_flight(pool, key: str) -> bool:
    return await pool.fetchval("SELECT state = 'in_flight' FROM idempotency_keys WHERE key = $1", key) is True


async def test_a_failed_request_releases_the_key(client, pool):
    headers = {"Idempotency-Key": "k-4"}
    response = await client.post("/orders", json={"item": "explode"}, headers=headers)
    assert response.status_code == 409 and response.json()["code"] == "version_conflict"
    assert await pool.fetchval("SELECT count(*) FROM idempotency_keys") == 0
    # the client may retry with the same key (and, after a failure, even another body)
    assert (await client.post("/orders", json={"item": "tea"}, headers=headers)).status_code == 201


async def test_expired_keys_are_reclaimed_and_purged(client, pool):
    headers = {"Idempotency-Key": "k-5"}
    assert (await client.post("/orders", json={"item": "tea"}, headers=headers)).status_code == 201
    await pool.execute("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'")
    response = await client.post("/orders", json={"item": "coffee"}, headers=headers)
    assert response.status_code == 201 and "idempotent-replayed" not in response.headers
    assert await pool.fetchval("SELECT count(*) FROM orders") == 2
    await pool.execute("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'")
    await idempotency.purge_expired(pool)
    assert await pool.fetchval("SELECT count(*) FROM idempotency_keys") == 0


def test_fingerprint():
    a = idempotency.fingerprint("POST", "/a", b"{}")
    assert a == idempotency.fingerprint("POST", "/a", b"{}")
    assert a != idempotency.fingerprint("POST", "/b", b"{}")
    assert a != idempotency.fingerprint("PUT", "/a", b"{}")
    assert a != idempotency.fingerprint("POST", "/a", b"{ }")
