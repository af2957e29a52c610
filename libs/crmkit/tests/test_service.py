"""The service factory end to end: temp database, real Kafka, relay and consumer, platform routes."""
from __future__ import annotations

import contextlib
import gc
import uuid

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel, Field

from crmkit import events, outbox
from crmkit.auth import CurrentPrincipal
from crmkit.db import create_pool
from crmkit.events import Envelope
from crmkit.service import ConsumerSpec, ServiceSpec, create_service_app, install_platform_routes
from crmkit.settings import ServiceSettings
from crmkit.testing import eventually, sign_test_token

MAX_BODY = 1024


class NoteIn(BaseModel):
    text: str = Field(max_length=2000)


@pytest.fixture
def note_event(topic):
    @events.event("crmkit_test.note_added", topic=topic)
    class NoteAdded(BaseModel):
        """A note was added (crmkit test event)."""

        note_id: uuid.UUID
        text: str

    yield NoteAdded
    events.REGISTRY.pop(("crmkit_test.note_added", 1), None)


@pytest.fixture
def migrations(tmp_path):
    directory = tmp_path / "migrations"
    directory.mkdir()
    (directory / "0001_notes.sql").write_text(
        "CREATE TABLE notes (id uuid PRIMARY KEY, text text NOT NULL);\n"
        "CREATE TABLE notes_seen (event_id uuid NOT NULL, note_id uuid NOT NULL);\n"
    )
    return directory


def make_spec(name, db_dsn, bootstrap, topic, jwt_keys, migrations, note_event) -> ServiceSpec:
    router = APIRouter(prefix="/api/v1")

    @router.post("/notes", status_code=201)
    async def add_note(body: NoteIn, request: Request, principal: CurrentPrincipal):
        note_id = uuid.uuid4()
        async with request.app.state.pool.acquire() as conn, conn.transaction():
            await conn.execute("INSERT INTO notes VALUES ($1, $2)", note_id, body.text)
            envelope = await outbox.publish(conn, note_event(note_id=note_id, text=body.text), source=name,
                                            subject=note_id, actor=principal.user_id)
        return {"id": str(note_id), "event_id": str(envelope.id)}

    async def on_note_added(conn, envelope: Envelope) -> None:
        await conn.execute("INSERT INTO notes_seen VALUES ($1, $2)", envelope.id,
                           uuid.UUID(envelope.data["note_id"]))

    settings = ServiceSettings(
        service_name=name, database_url=db_dsn, kafka_bootstrap=bootstrap,
        jwt_public_key_file=str(jwt_keys[1]), max_body_bytes=MAX_BODY, outbox_poll_seconds=0.2,
        db_pool_min=1, db_pool_max=5, consumer_backoff_seconds=0.01,
    )
    return ServiceSpec(
        name=name, settings=settings, migrations_dir=migrations, routers=[router],
        consumers=[ConsumerSpec(name="notes", topics=[topic], handlers={"crmkit_test.note_added": on_note_added})],
        keeps_directory=False,
    )


@contextlib.asynccontextmanager
async def serving(app: FastAPI):
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            yield client


async def test_service_factory_end_to_end(db_dsn, bootstrap, topic, jwt_keys, migrations, note_event, unique_name):
    app = create_service_app(make_spec(unique_name, db_dsn, bootstrap, topic, jwt_keys, migrations, note_event))
    token = sign_test_token(jwt_keys[0], roles=("sales",))
    auth = {"Authorization": f"Bearer {token}"}
    async with serving(app) as client:
        response = await client.get("/healthz")
        assert response.status_code == 200 and response.json() == {"status": "ok"}
        assert response.headers["x-request-id"]

        response = await client.get("/readyz")
        assert response.status_code == 200, response.text
        assert response.json() == {"status": "ready", "checks": {"database": True, "kafka": True}}

        # the service's migrations ran after crmkit's
        versions = await app.state.pool.fetch("SELECT version FROM schema_migrations ORDER BY applied_at, version")
        assert "service:0001_notes" in [r["version"] for r in versions]

        # a request goes through api -> outbox -> relay -> Kafka -> consumer -> inbox + effect
        assert (await client.post("/api/v1/notes", json={"text": "hi"})).status_code == 401
        response = await client.post("/api/v1/notes", json={"text": "xin chào"}, headers=auth | {"X-Request-Id": "r-1"})
        assert response.status_code == 201, response.text
        assert response.headers["x-request-id"] == "r-1"
        note_id, event_id = uuid.UUID(response.json()["id"]), uuid.UUID(response.json()["event_id"])
        pool = app.state.pool
        await eventually(lambda: _fetch(pool, "SELECT note_id FROM notes_seen WHERE event_id = $1", event_id),
                         message="event handled by the service's own consumer")
        assert await pool.fetchval("SELECT count(*) FROM notes_seen") == 1
        assert await pool.fetchval("SELECT published_at IS NOT NULL FROM outbox WHERE event_id = $1", event_id)
        assert await pool.fetchval("SELECT consumer FROM inbox WHERE event_id = $1", event_id) == \
            f"crm-{unique_name}.notes"
        assert note_id

        # validation problems are problem+json
        response = await client.post("/api/v1/notes", json={"text": 5}, headers=auth)
        assert response.status_code == 422 and response.json()["code"] == "validation_error"

        # body limit: declared length and streamed (chunked) bodies alike
        big = {"text": "x" * (MAX_BODY + 10)}
        response = await client.post("/api/v1/notes", json=big, headers=auth)
        _too_large(response)
        response = await client.post("/api/v1/notes", json=big, headers=auth | {"Accept-Language": "en"})
        assert _too_large(response)["title"] == "Payload too large"

        async def chunks():
            yield b'{"text": "'
            for _ in range(10):
                yield b"y" * 200
            yield b'"}'

        response = await client.post("/api/v1/notes", content=chunks(),
                                     headers=auth | {"content-type": "application/json"})
        _too_large(response)
        assert await pool.fetchval("SELECT count(*) FROM notes") == 1

        # metrics
        response = await client.get("/metrics")
        assert response.status_code == 200
        text = response.text
        assert "crm_http_request_seconds" in text
        assert f'crm_http_request_seconds_count{{method="POST",route="/api/v1/notes",service="{unique_name}",' \
               f'status="201"}}' in text
        assert "crm_outbox_published_total" in text

        # the AsyncAPI document lists the registered event
        doc = (await client.get("/asyncapi.json")).json()
        assert doc["x-service"] == unique_name
        assert "crmkit_test.note_added.v1" in doc["components"]["messages"]
        assert "crmkit_test.note_added.v1" in doc["channels"][topic]["messages"]

        # unknown routes are problems too
        response = await client.get("/api/v1/nothing-here")
        assert response.status_code == 404 and response.json()["code"] == "not_found"

    # after shutdown the relay and the consumers are gone
    assert not app.state.relay.is_leader


async def _fetch(pool, sql, *args):
    return await pool.fetchval(sql, *args)


def _too_large(response: httpx.Response) -> dict:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "payload_too_large"
    assert str(MAX_BODY) in body["detail"]
    return body


async def test_readyz_reports_what_is_down(db_dsn):
    app = FastAPI()
    install_platform_routes(app, "127.0.0.1:1")  # nothing listens there
    app.state.pool = await create_pool(db_dsn, min_size=1, max_size=2)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            response = await client.get("/readyz")
            assert response.status_code == 503
            assert response.json() == {"status": "not_ready", "checks": {"database": True, "kafka": False}}
            await app.state.pool.close()
            response = await client.get("/readyz")
            assert response.status_code == 503
            assert response.json()["checks"]["database"] is False
    finally:
        await app.state.pool.close()


async def test_api_only_mode_starts_no_workers(db_dsn, bootstrap, topic, jwt_keys, migrations, note_event, unique_name):
    spec = make_spec(unique_name, db_dsn, bootstrap, topic, jwt_keys, migrations, note_event)
    spec.settings = spec.settings.model_copy(update={"run_mode": "api"})
    app = create_service_app(spec)
    async with serving(app) as client:
        assert (await client.get("/healthz")).status_code == 200
        assert not hasattr(app.state, "relay")


async def test_the_service_collects_young_objects_less_often(db_dsn, bootstrap, topic, jwt_keys, migrations,
                                                             note_event, unique_name, monkeypatch):
    """crmkit.service.tune_gc, from CRM_GC_GEN0_THRESHOLD (platform-wide), in the lifespan: every
    worker process of uvicorn runs it."""
    monkeypatch.setenv("CRM_GC_GEN0_THRESHOLD", "12345")
    spec = make_spec(unique_name, db_dsn, bootstrap, topic, jwt_keys, migrations, note_event)
    spec.settings = spec.settings.model_copy(update={"run_mode": "api", "gc_gen0_threshold":
                                                     ServiceSettings().gc_gen0_threshold})
    before = gc.get_threshold()
    try:
        async with serving(create_service_app(spec)):
            assert gc.get_threshold()[0] == 12345
    finally:
        gc.set_threshold(*before)


def test_settings_env_prefix_and_platform_variables(monkeypatch):
    from pydantic_settings import SettingsConfigDict

    class CustomersSettings(ServiceSettings):
        model_config = SettingsConfigDict(env_prefix="CRMKIT_TEST_", extra="ignore", populate_by_name=True)
        service_name: str = "customers"

    monkeypatch.setenv("CRMKIT_TEST_PORT", "9999")
    monkeypatch.setenv("CRMKIT_TEST_RUN_MODE", "worker")
    monkeypatch.setenv("CRM_KAFKA_BOOTSTRAP", "kafka:9092")
    monkeypatch.setenv("CRM_JWT_ISSUER", "issuer-x")
    settings = CustomersSettings()
    assert settings.port == 9999
    assert settings.kafka_bootstrap == "kafka:9092"
    assert settings.jwt_issuer == "issuer-x"
    assert settings.runs_worker and not settings.runs_api
    assert CustomersSettings(kafka_bootstrap="b:1").kafka_bootstrap == "b:1"
