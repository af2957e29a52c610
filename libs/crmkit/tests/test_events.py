"""Envelope, CloudEvents Kafka headers, registry, build, AsyncAPI (no I/O)."""
from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import orjson
import pytest
from pydantic import BaseModel

from crmkit import asyncapi, events
from crmkit.events import REGISTRY, Envelope


@pytest.fixture
def registered():
    """Register test event types and remove them again, so the global registry stays clean."""
    before = dict(REGISTRY)
    yield
    REGISTRY.clear()
    REGISTRY.update(before)


def _headers(envelope: Envelope) -> dict[str, str]:
    pairs = envelope.kafka_headers()
    assert all(isinstance(k, str) and isinstance(v, bytes) for k, v in pairs)
    assert len({k for k, _ in pairs}) == len(pairs), "a header appears twice"
    return {k: v.decode() for k, v in pairs}


def test_envelope_round_trip():
    original = Envelope(
        type="customer.created", version=2, source="customers", subject=str(uuid.uuid4()),
        actor=str(uuid.uuid4()), correlation_id=str(uuid.uuid4()), causation_id=str(uuid.uuid4()),
        data={"name": "Nguyễn Văn A", "phones": ["0901234567"], "nested": {"n": 1, "ok": True}},
    )
    raw = original.to_bytes()
    assert isinstance(raw, bytes)
    decoded = Envelope.from_bytes(raw)
    assert decoded == original
    assert decoded.occurred_at.tzinfo is not None
    as_json = orjson.loads(raw)
    assert set(as_json) == {"id", "type", "version", "occurred_at", "source", "subject", "actor",
                            "correlation_id", "causation_id", "data"}
    assert as_json["id"] == str(original.id)
    assert as_json["data"]["name"] == "Nguyễn Văn A"


def test_envelope_defaults():
    a = Envelope(type="x.happened", source="svc", subject="s1")
    b = Envelope(type="x.happened", source="svc", subject="s1")
    assert a.id != b.id
    assert a.actor == events.SYSTEM_ACTOR
    assert a.version == 1
    assert a.occurred_at.utcoffset().total_seconds() == 0
    assert a.data == {}


def test_cloudevents_headers():
    correlation = uuid.uuid4()
    envelope = Envelope(type="customer.created", source="customers", subject="c-1",
                        occurred_at=datetime(2025, 1, 2, 3, 4, 5, 678000, tzinfo=UTC),
                        correlation_id=str(correlation))
    headers = _headers(envelope)
    assert headers["ce_specversion"] == "1.0"
    assert headers["ce_id"] == str(envelope.id)
    assert headers["ce_type"] == "customer.created"
    assert headers["ce_source"] == "customers"
    assert headers["ce_subject"] == "c-1"
    assert datetime.fromisoformat(headers["ce_time"]) == envelope.occurred_at
    # RFC 3339 with an explicit UTC offset
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", headers["ce_time"])
    # W3C trace context: version-traceid(32 hex)-parentid(16 hex)-flags; the trace is the correlation
    match = re.fullmatch(r"00-([0-9a-f]{32})-([0-9a-f]{16})-01", headers["traceparent"])
    assert match
    assert match.group(1) == correlation.hex
    assert match.group(2) != "0" * 16


def test_times_are_utc():
    from datetime import timedelta, timezone

    naive = Envelope(type="t", source="s", subject="x", occurred_at=datetime(2025, 1, 1, 12, 0))
    assert naive.occurred_at == datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    hanoi = timezone(timedelta(hours=7))
    local = Envelope(type="t", source="s", subject="x", occurred_at=datetime(2025, 1, 1, 19, 0, tzinfo=hanoi))
    assert local.occurred_at == datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    assert local.occurred_at.utcoffset().total_seconds() == 0
    assert _headers(local)["ce_time"].startswith("2025-01-01T12:00:00")
    assert Envelope.from_bytes(b'{"type": "t", "source": "s", "subject": "x", "occurred_at": "2025-01-01T12:00:00"}'
                               ).occurred_at.tzinfo is not None


def test_traceparent_without_a_uuid_correlation_uses_the_event_id():
    for correlation in (None, "req-42", ""):
        envelope = Envelope(type="t", source="s", subject="x", correlation_id=correlation)
        trace = _headers(envelope)["traceparent"].split("-")[1]
        assert trace == envelope.id.hex


def test_registry_and_build(registered):
    @events.event("crmkit_test.widget_created", topic="crmkit-test.widgets", version=2)
    class WidgetCreated(BaseModel):
        """A widget was created.

        More text that is not the summary."""

        widget_id: uuid.UUID
        name: str
        at: datetime

    spec = REGISTRY[("crmkit_test.widget_created", 2)]
    assert spec.topic == "crmkit-test.widgets"
    assert spec.model is WidgetCreated
    assert spec.summary == "A widget was created."

    widget_id, actor, correlation = uuid.uuid4(), uuid.uuid4(), str(uuid.uuid4())
    at = datetime(2025, 5, 6, 7, 8, 9, tzinfo=UTC)
    topic, envelope = events.build(WidgetCreated(widget_id=widget_id, name="w", at=at), source="widgets",
                                   subject=widget_id, actor=actor, correlation_id=correlation,
                                   causation_id="cause-1")
    assert topic == "crmkit-test.widgets"
    assert envelope.type == "crmkit_test.widget_created"
    assert envelope.version == 2
    assert envelope.source == "widgets"
    assert envelope.subject == str(widget_id)
    assert envelope.actor == str(actor)
    assert envelope.correlation_id == correlation
    assert envelope.causation_id == "cause-1"
    # data is JSON-ready and validates back into the model
    assert envelope.data == {"widget_id": str(widget_id), "name": "w", "at": "2025-05-06T07:08:09Z"}
    assert WidgetCreated.model_validate(Envelope.from_bytes(envelope.to_bytes()).data).widget_id == widget_id

    _, system = events.build(WidgetCreated(widget_id=widget_id, name="w", at=at), source="widgets", subject="s")
    assert system.actor == events.SYSTEM_ACTOR


def test_registry_summary_without_docstring(registered):
    @events.event("crmkit_test.bare", topic="crmkit-test.bare")
    class Bare(BaseModel):
        x: int

    @events.event("crmkit_test.blank_doc", topic="crmkit-test.bare")
    class BlankDoc(BaseModel):
        """   """

        x: int

    assert REGISTRY[("crmkit_test.bare", 1)].summary == "crmkit_test.bare"
    assert REGISTRY[("crmkit_test.blank_doc", 1)].summary == "crmkit_test.blank_doc"


def test_two_versions_of_one_type_are_both_registered(registered):
    @events.event("crmkit_test.moved", topic="crmkit-test.moves", version=1)
    class MovedV1(BaseModel):
        to: str

    @events.event("crmkit_test.moved", topic="crmkit-test.moves", version=2)
    class MovedV2(BaseModel):
        to_unit: uuid.UUID

    assert events.build(MovedV1(to="a"), source="s", subject="x")[1].version == 1
    assert events.build(MovedV2(to_unit=uuid.uuid4()), source="s", subject="x")[1].version == 2
    doc = asyncapi.document("test")
    channel = doc["channels"]["crmkit-test.moves"]
    assert set(channel["messages"]) == {"crmkit_test.moved.v1", "crmkit_test.moved.v2"}


def test_build_rejects_an_unregistered_model():
    class NotAnEvent(BaseModel):
        x: int

    with pytest.raises((TypeError, ValueError, LookupError, AttributeError)):
        events.build(NotAnEvent(x=1), source="s", subject="x")


def test_asyncapi_document_lists_registered_events(registered):
    class Address(BaseModel):
        city: str

    @events.event("crmkit_test.placed", topic="crmkit-test.orders")
    class Placed(BaseModel):
        """An order was placed."""

        address: Address

    doc = asyncapi.document("Orders", service="orders")
    assert doc["asyncapi"].startswith("3.")
    assert doc["x-service"] == "orders"
    message = doc["components"]["messages"]["crmkit_test.placed.v1"]
    assert message["summary"] == "An order was placed."
    assert set(message["headers"]["properties"]) >= {"ce_id", "ce_type", "ce_source", "ce_time",
                                                      "ce_specversion", "traceparent"}
    assert doc["channels"]["crmkit-test.orders"]["messages"]["crmkit_test.placed.v1"] == {
        "$ref": "#/components/messages/crmkit_test.placed.v1"}
    assert "publish.crmkit-test.orders" in doc["operations"]
    schemas = doc["components"]["schemas"]
    assert "Envelope" in schemas and "Address" in schemas
    assert schemas["crmkit_test.placed.v1"]["properties"]["address"] == {"$ref": "#/components/schemas/Address"}
    orjson.dumps(doc)  # serialisable

    merged = asyncapi.merge("All", [doc])
    assert "crmkit_test.placed.v1" in merged["components"]["messages"]
