"""The customers' events become timeline entries exactly once (real PostgreSQL)."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

from crmkit.auth import Principal
from crmkit.consumer import EventConsumer
from crmkit.domain_errors import NotFound
from crmkit.events import Envelope

from crm_interactions.consumers import CONSUMERS
from crm_interactions.handlers.timeline import read_timeline


def customer_created(owner: uuid.UUID, path: str) -> Envelope:
    customer_id = uuid.uuid4()
    now = datetime.now(UTC).isoformat()
    return Envelope(type="customer.created", source="customers", subject=str(customer_id), actor=str(owner), data={
        "id": str(customer_id), "name": "Nguyễn Văn An", "phone": "+84912345678", "lifecycle": "lead",
        "party_type": "individual", "status": "new", "owner_id": str(owner), "owner_unit_id": None,
        "owner_unit_path": path, "version": 1, "created_at": now, "updated_at": now})


def principal(user_id: uuid.UUID, path: str, *roles: str) -> Principal:
    return Principal(user_id=user_id, username="u", unit_id=None, unit_path=path, roles=frozenset(roles or ("sales",)))


def consumer(pool) -> EventConsumer:
    spec = CONSUMERS[0]
    return EventConsumer(name="test", pool=pool, bootstrap="unused:0", topics=spec.topics, handlers=spec.handlers)


async def test_redelivered_customer_created_makes_one_entry_and_one_event(pool):
    owner = uuid.uuid4()
    envelope = customer_created(owner, "/a/b/")
    handler = CONSUMERS[0].handlers["customer.created"]
    c = consumer(pool)
    assert await c.handle(envelope, handler) is True
    assert await c.handle(envelope, handler) is False
    rows, _ = await read_timeline(pool, principal=principal(owner, "/a/b/"), customer_id=uuid.UUID(envelope.subject),
                                  limit=10, cursor=None, types=None)
    assert [r["type"] for r in rows] == ["created"]
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE event_type = 'interaction.recorded'") == 1


async def test_visibility_of_the_timeline_follows_the_customer(pool):
    owner = uuid.uuid4()
    envelope = customer_created(owner, "/root/branch/team/")
    await consumer(pool).handle(envelope, CONSUMERS[0].handlers["customer.created"])
    customer_id = uuid.UUID(envelope.subject)

    async def sees(p: Principal) -> bool:
        try:
            await read_timeline(pool, principal=p, customer_id=customer_id, limit=5, cursor=None, types=None)
            return True
        except NotFound:
            return False

    assert await sees(principal(owner, "/root/branch/team/"))
    assert await sees(principal(uuid.uuid4(), "/root/branch/", "manager"))
    assert await sees(principal(uuid.uuid4(), "/x/", "admin"))
    assert not await sees(principal(uuid.uuid4(), "/root/branch/team/"))  # a colleague, not owner
    assert not await sees(principal(uuid.uuid4(), "/root/other/", "manager"))


async def test_timeline_pages_by_cursor_newest_first(pool):
    owner = uuid.uuid4()
    envelope = customer_created(owner, "/a/")
    customer_id = uuid.UUID(envelope.subject)
    await consumer(pool).handle(envelope, CONSUMERS[0].handlers["customer.created"])
    for i in range(5):
        await pool.execute(
            "INSERT INTO timeline_entries (id, customer_id, type, occurred_at, note) VALUES ($1, $2, 'note', now() + make_interval(secs => $3), $4)",
            uuid.uuid4(), customer_id, i + 1, f"n{i}")
    me = principal(owner, "/a/")
    first, cursor = await read_timeline(pool, principal=me, customer_id=customer_id, limit=4, cursor=None, types=None)
    rest, end = await read_timeline(pool, principal=me, customer_id=customer_id, limit=4, cursor=cursor, types=None)
    assert [r["note"] for r in first] == ["n4", "n3", "n2", "n1"]
    assert [r["type"] for r in rest] == ["note", "created"] and end is None
