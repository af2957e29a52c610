"""The message context of what the service publishes (crmkit.unit_of_work), never threaded through
the calls: a request's X-Correlation-ID and caller reach its events' envelopes, and a consumed
event's id becomes the causation of the events its handler publishes (real PostgreSQL)."""
from __future__ import annotations

import uuid

from aiokafka.structs import ConsumerRecord
from interactions_support import PATH, auth, visible_customer

from crmkit.consumer import EventConsumer
from crmkit.events import Envelope

from crm_interactions.consumers import CONSUMERS


async def envelopes(pool, *event_types: str) -> list[dict]:
    return [r["payload"] for r in await pool.fetch(
        "SELECT payload FROM outbox WHERE event_type = ANY($1::text[]) ORDER BY id", list(event_types))]


async def test_a_requests_correlation_id_and_caller_reach_every_event_it_publishes(app, api):
    rep = uuid.uuid4()
    customer_id = await visible_customer(app, rep)
    logged = await api.post(f"/api/v1/customers/{customer_id}/calls",
                            headers={**auth(rep), "Idempotency-Key": "k1", "X-Correlation-ID": "corr-call-1"},
                            json={"direction": "in", "outcome": "reached", "duration_seconds": 30})
    assert logged.status_code == 201, logged.text
    published = await envelopes(app.state.pool, "call.logged", "interaction.recorded")
    assert [p["type"] for p in published] == ["call.logged", "interaction.recorded"]
    assert {(p["source"], p["actor"], p["correlation_id"], p["causation_id"]) for p in published} == {
        ("interactions", str(rep), "corr-call-1", None)}


def record_of(envelope: Envelope) -> ConsumerRecord:
    raw = envelope.to_bytes()
    return ConsumerRecord(topic="crm.customers", partition=0, offset=0, timestamp=0, timestamp_type=0, key=None,
                          value=raw, checksum=None, serialized_key_size=0, serialized_value_size=len(raw),
                          headers=())


async def test_a_consumed_events_id_is_the_causation_of_what_its_handler_publishes(pool):
    owner, customer_id = uuid.uuid4(), uuid.uuid4()
    created = Envelope(type="customer.created", source="customers", subject=str(customer_id), actor=str(owner),
                       correlation_id="corr-import-7", data={
                           "id": str(customer_id), "name": "Nguyễn Văn An", "phone": "+84912345678",
                           "lifecycle": "lead", "party_type": "individual", "status": "new",
                           "owner_id": str(owner), "owner_unit_id": None, "owner_unit_path": PATH, "version": 1})
    batch_id = str(uuid.uuid4())
    bulk = Envelope(type="customers.bulk_updated", source="customers", subject=batch_id, actor=str(owner),
                    correlation_id="corr-bulk-8", data={
                        "batch_id": batch_id, "chunk": 1, "last": True, "ids": [str(customer_id)], "versions": [2],
                        "action": "set_status", "status": "potential", "note": None, "from_statuses": ["new"]})
    spec = CONSUMERS[0]
    consumer = EventConsumer(name="test", pool=pool, bootstrap="unused:0", topics=spec.topics, handlers=spec.handlers)
    for envelope in (created, bulk):
        await consumer.process(record_of(envelope))
    published = await envelopes(pool, "interaction.recorded", "interactions.bulk_recorded")
    assert [(p["type"], p["source"], p["actor"], p["correlation_id"], p["causation_id"]) for p in published] == [
        ("interaction.recorded", "interactions", str(owner), "corr-import-7", str(created.id)),
        ("interactions.bulk_recorded", "interactions", str(owner), "corr-bulk-8", str(bulk.id))]
