"""Idempotency-Key: replay, reuse with another body (422), a concurrent retry waits for the first
answer, and — with a real process killed by SIGKILL — the key, the effect and the answer commit
together; real PostgreSQL."""
from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from crmkit import errors, idempotency
from crmkit.auth import Principal, current_principal
from crmkit.db import create_pool
from crmkit.errors import ProblemError
from crmkit.testing import eventually
from crmkit.unit_of_work import UnitOfWork

ORDERS = "CREATE TABLE orders (id uuid PRIMARY KEY, item text NOT NULL, qty int NOT NULL)"


class Order(BaseModel):
    item: str
    qty: int = 1


async def place_order(pool: asyncpg.Pool, *, item: str, qty: int) -> dict:
    """A use case as the services write them: its own unit of work on the pool it is given."""
    async with UnitOfWork(pool, source="orders") as uow:
        order_id = uuid.uuid4()
        await uow.conn.execute("INSERT INTO orders VALUES ($1, $2, $3)", order_id, item, qty)
        if item == "explode":  # refused after its write: nothing of it may stay
            raise ProblemError(409, "version_conflict")
    return {"id": str(order_id), "item": item, "qty": qty}


def orders_app(state: dict | None = None) -> FastAPI:
    """`POST /orders` with `Idempotent`; the caller is `X-User`. `X-Die: before-answer` kills the
    process after the effect and before the answer is recorded; `X-Die: after-commit` once the
    transaction committed, before the client hears anything."""
    state = state if state is not None else {"gate": None, "calls": 0}
    app = FastAPI()
    errors.install_handlers(app)
    app.dependency_overrides[current_principal] = _principal_of_header

    @app.post("/orders", status_code=201)
    async def create(order: Order, request: Request, once: idempotency.Idempotent):
        state["calls"] += 1
        if state["gate"] is not None:
            await state["gate"].wait()
        placed = await place_order(once.pool, item=order.item, qty=order.qty)
        if request.headers.get("x-die") == "before-answer":
            os.kill(os.getpid(), signal.SIGKILL)
        return once.answer(JSONResponse(placed, status_code=201, headers={
            "Location": f"/orders/{placed['id']}", "ETag": '"1"', "X-Other": "x"}))

    @app.get("/health")
    async def health():
        return {}

    return app


def _principal_of_header(request: Request) -> Principal:
    name = request.headers.get("x-user", "anonymous")
    return Principal(user_id=uuid.uuid5(uuid.NAMESPACE_DNS, name), username=name, unit_id=None,
                     unit_path="/", roles=frozenset())


class DieAfterCommit:
    """Kills the process when the answer starts, i.e. after the dependency committed."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        dies = scope["type"] == "http" and (b"x-die", b"after-commit") in scope["headers"]

        async def sending(message):
            if dies and message["type"] == "http.response.start":
                os.kill(os.getpid(), signal.SIGKILL)
            await send(message)

        await self.app(scope, receive, sending)


def served_app() -> DieAfterCommit:
    """The app of the process the kill test starts (uvicorn --factory)."""
    app = orders_app()
    app.router.lifespan_context = _pool_of_environment
    return DieAfterCommit(app)


@contextlib.asynccontextmanager
async def _pool_of_environment(app: FastAPI):
    app.state.pool = await create_pool(os.environ["ORDERS_DSN"], min_size=1, max_size=4)
    yield
    await app.state.pool.close()


@pytest.fixture
async def app_and_state(pool):
    await pool.execute(ORDERS)
    state = {"gate": None, "calls": 0}
    app = orders_app(state)
    app.state.pool = pool
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
    assert "x-other" not in second.headers
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


async def test_a_concurrent_retry_waits_and_replays_the_first_answer(client, pool, app_and_state):
    _, state = app_and_state
    state["gate"] = asyncio.Event()
    headers = {"Idempotency-Key": "k-3"}
    first = asyncio.create_task(client.post("/orders", json={"item": "tea"}, headers=headers))
    second = None
    try:
        await eventually(lambda: _calls(state, 1), message="the first request claimed the key")
        second = asyncio.create_task(client.post("/orders", json={"item": "tea"}, headers=headers))
        await eventually(lambda: _waiting_on_a_lock(pool), message="the retry waits on the first one's claim")
    finally:
        state["gate"].set()
    assert (await first).status_code == 201
    replay = await second
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == (await first).json()
    assert state["calls"] == 1
    assert await pool.fetchval("SELECT count(*) FROM orders") == 1


async def test_a_retry_still_waiting_after_the_claim_wait_is_409(client, pool, app_and_state, monkeypatch):
    _, state = app_and_state
    monkeypatch.setattr(idempotency, "CLAIM_WAIT_SECONDS", 0.2)
    state["gate"] = asyncio.Event()
    headers = {"Idempotency-Key": "k-6"}
    first = asyncio.create_task(client.post("/orders", json={"item": "tea"}, headers=headers))
    try:
        await eventually(lambda: _calls(state, 1), message="the first request claimed the key")
        second = await client.post("/orders", json={"item": "tea"}, headers=headers)
        assert second.status_code == 409
        assert second.json()["code"] == "idempotency_in_flight"
        assert second.headers["retry-after"] == "1"
    finally:
        state["gate"].set()
    assert (await first).status_code == 201
    assert state["calls"] == 1


async def _calls(state: dict, n: int) -> bool:
    return state["calls"] == n


async def _waiting_on_a_lock(pool) -> bool:
    return await pool.fetchval(
        "SELECT count(*) > 0 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND query LIKE 'INSERT INTO idempotency_keys%' AND datname = current_database()")


async def test_a_refused_request_leaves_neither_key_nor_effect(client, pool):
    headers = {"Idempotency-Key": "k-4"}
    response = await client.post("/orders", json={"item": "explode"}, headers=headers)
    assert response.status_code == 409 and response.json()["code"] == "version_conflict"
    assert await pool.fetchval("SELECT count(*) FROM idempotency_keys") == 0
    assert await pool.fetchval("SELECT count(*) FROM orders") == 0  # written, then refused: rolled back
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


async def test_a_route_that_does_not_answer_through_once_commits_nothing(pool):
    await pool.execute(ORDERS)
    app = FastAPI()
    errors.install_handlers(app)
    app.state.pool = pool
    app.dependency_overrides[current_principal] = _principal_of_header

    @app.post("/orders", status_code=201)
    async def create(order: Order, once: idempotency.Idempotent):
        return await place_order(once.pool, item=order.item, qty=order.qty)  # forgot once.answer

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                                 base_url="http://t") as c:
        response = await c.post("/orders", json={"item": "tea"}, headers={"Idempotency-Key": "k-7"})
    assert response.status_code == 500
    assert await pool.fetchval("SELECT count(*) FROM orders") == 0


def test_fingerprint():
    a = idempotency.fingerprint("POST", "/a", b"{}")
    assert a == idempotency.fingerprint("POST", "/a", b"{}")
    assert a != idempotency.fingerprint("POST", "/b", b"{}")
    assert a != idempotency.fingerprint("PUT", "/a", b"{}")
    assert a != idempotency.fingerprint("POST", "/a", b"{ }")


# --- a real process, killed with SIGKILL between the effect and the answer ---

class OrdersProcess:
    def __init__(self, dsn: str) -> None:
        self.dsn, self.port = dsn, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    async def start(self) -> None:
        script = ("import importlib.util, sys, uvicorn\n"
                  f"spec = importlib.util.spec_from_file_location('orders_app', {str(Path(__file__))!r})\n"
                  "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
                  f"uvicorn.run(module.served_app, factory=True, port={self.port}, log_level='warning')\n")
        self.process = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "ORDERS_DSN": self.dsn})
        await eventually(self._healthy, timeout=30, message="the orders process answers")

    async def _healthy(self) -> bool:
        assert self.process is not None and self.process.poll() is None, "the orders process exited"
        with contextlib.suppress(httpx.HTTPError):
            async with httpx.AsyncClient() as c:
                return (await c.get(f"{self.url}/health", timeout=1)).status_code == 200
        return False

    async def post_and_die(self, body: dict, key: str, where: str) -> None:
        async with httpx.AsyncClient() as c:
            with pytest.raises(httpx.TransportError):  # the client hears nothing: it will retry
                await c.post(f"{self.url}/orders", json=body, timeout=30,
                             headers={"Idempotency-Key": key, "X-Die": where})
        assert self.process is not None
        assert await asyncio.to_thread(self.process.wait, 30) == -signal.SIGKILL

    async def post(self, body: dict, key: str) -> httpx.Response:
        async with httpx.AsyncClient() as c:
            return await c.post(f"{self.url}/orders", json=body, timeout=30, headers={"Idempotency-Key": key})

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_killed_after_the_commit_the_retry_gets_the_original_answer(db_dsn, pool):
    await pool.execute(ORDERS)
    orders = OrdersProcess(db_dsn)
    try:
        await orders.start()
        await orders.post_and_die({"item": "tea", "qty": 2}, "kill-1", "after-commit")
        placed = await pool.fetchrow("SELECT id, item, qty FROM orders")
        assert placed is not None and (placed["item"], placed["qty"]) == ("tea", 2)

        await orders.start()
        retry = await orders.post({"item": "tea", "qty": 2}, "kill-1")
        assert retry.status_code == 201, retry.text
        assert retry.headers["idempotent-replayed"] == "true"
        assert retry.json() == {"id": str(placed["id"]), "item": "tea", "qty": 2}
        assert retry.headers["location"] == f"/orders/{placed['id']}"
        assert await pool.fetchval("SELECT count(*) FROM orders") == 1
    finally:
        orders.stop()


async def test_killed_between_the_effect_and_the_answer_the_retry_runs_once(db_dsn, pool):
    await pool.execute(ORDERS)
    orders = OrdersProcess(db_dsn)
    try:
        await orders.start()
        await orders.post_and_die({"item": "coffee"}, "kill-2", "before-answer")
        assert await pool.fetchval("SELECT count(*) FROM orders") == 0  # the effect died with its answer
        assert await pool.fetchval("SELECT count(*) FROM idempotency_keys") == 0

        await orders.start()
        retry = await orders.post({"item": "coffee"}, "kill-2")
        assert retry.status_code == 201 and "idempotent-replayed" not in retry.headers
        again = await orders.post({"item": "coffee"}, "kill-2")
        assert again.headers["idempotent-replayed"] == "true" and again.json() == retry.json()
        assert await pool.fetchval("SELECT count(*) FROM orders") == 1
    finally:
        orders.stop()
