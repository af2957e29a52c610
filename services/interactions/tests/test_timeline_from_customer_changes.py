"""customer.updated and customer.status_changed become timeline entries exactly once and keep
the visibility read model current (real PostgreSQL)."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from crmkit.auth import Principal
from crmkit.consumer import EventConsumer
from crmkit.domain_errors import NotFound
from crmkit.events import Envelope

from crm_interactions.consumers import CONSUMERS
from crm_interactions.handlers.timeline import read_timeline

HANDLERS = CONSUMERS[0].handlers


def state(customer_id: uuid.UUID, owner: uuid.UUID | None, path: str | None, version: int) -> dict:
    now = datetime.now(UTC).isoformat()
    return {"id": str(customer_id), "name": "Nguyễn Văn An", "phone": "+84912345678", "lifecycle": "lead",
            "party_type": "individual", "status": "new", "owner_id": str(owner) if owner else None,
            "owner_unit_id": None, "owner_unit_path": path, "version": version, "created_at": now, "updated_at": now}


def envelope(type_: str, customer_id: uuid.UUID, actor: uuid.UUID, data: dict) -> Envelope:
    return Envelope(type=type_, source="customers", subject=str(customer_id), actor=str(actor), data=data)


def principal(user_id: uuid.UUID, path: str, *roles: str) -> Principal:
    return Principal(user_id=user_id, username="u", unit_id=None, unit_path=path, roles=frozenset(roles or ("sales",)))


def consumer(pool) -> EventConsumer:
    return EventConsumer(name="test", pool=pool, bootstrap="unused:0", topics=CONSUMERS[0].topics, handlers=HANDLERS)


async def feed(pool, event: Envelope) -> bool:
    return await consumer(pool).handle(event, HANDLERS[event.type])


async def timeline(pool, customer_id: uuid.UUID, who: Principal) -> list:
    rows, _ = await read_timeline(pool, principal=who, customer_id=customer_id, limit=50, cursor=None, types=None)
    return rows


async def created(pool, owner: uuid.UUID, path: str) -> uuid.UUID:
    customer_id = uuid.uuid4()
    await feed(pool, envelope("customer.created", customer_id, owner, state(customer_id, owner, path, 1)))
    return customer_id


async def test_status_change_with_note_is_one_classified_entry_even_when_redelivered(pool):
    owner = uuid.uuid4()
    customer_id = await created(pool, owner, "/a/")
    change = envelope("customer.status_changed", customer_id, owner, {
        "customer_id": str(customer_id), "from": "new", "to": "potential", "note": "Khách quan tâm gói vay",
        "version": 2, "owner_id": str(owner), "owner_unit_path": "/a/"})
    assert await feed(pool, change) is True
    assert await feed(pool, change) is False
    rows = await timeline(pool, customer_id, principal(owner, "/a/"))
    classified = [r for r in rows if r["type"] == "classified"]
    assert len(classified) == 1
    assert classified[0]["data"] == {"from": "new", "to": "potential"}
    assert classified[0]["note"] == "Khách quan tâm gói vay"
    assert classified[0]["actor_id"] == owner
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE event_type = 'interaction.recorded'") == 2


async def test_update_is_one_edited_entry_naming_the_changed_fields(pool):
    owner = uuid.uuid4()
    customer_id = await created(pool, owner, "/a/")
    update = envelope("customer.updated", customer_id, owner,
                      {**state(customer_id, owner, "/a/", 2), "changed": ["email", "province"]})
    assert await feed(pool, update) is True
    assert await feed(pool, update) is False
    rows = await timeline(pool, customer_id, principal(owner, "/a/"))
    assert [(r["type"], r["data"]) for r in rows if r["type"] == "edited"] == [("edited", {"changed": ["email", "province"]})]


async def test_owner_change_moves_visibility_and_an_older_event_does_not_roll_it_back(pool):
    old_owner, new_owner = uuid.uuid4(), uuid.uuid4()
    customer_id = await created(pool, old_owner, "/root/team1/")
    moved = envelope("customer.updated", customer_id, uuid.uuid4(),
                     {**state(customer_id, new_owner, "/root/team2/", 3), "changed": ["owner_id"]})
    stale = envelope("customer.updated", customer_id, old_owner,
                     {**state(customer_id, old_owner, "/root/team1/", 2), "changed": ["email"]})
    await feed(pool, moved)
    await feed(pool, stale)  # arrives late: its entry is kept, its older access state is not

    async def sees(who: Principal) -> bool:
        try:
            await timeline(pool, customer_id, who)
            return True
        except NotFound:
            return False

    assert await sees(principal(new_owner, "/root/team2/"))
    assert await sees(principal(uuid.uuid4(), "/root/team2/", "manager"))
    assert not await sees(principal(old_owner, "/root/team1/"))
    assert not await sees(principal(uuid.uuid4(), "/root/team1/", "manager"))
    access = await pool.fetchrow("SELECT owner_id, version FROM customer_access WHERE customer_id = $1", customer_id)
    assert access["owner_id"] == new_owner and access["version"] == 3


async def test_viewers_and_holder_see_the_timeline_and_lose_it_when_removed(pool):
    owner, viewer, holder = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    customer_id = await created(pool, owner, "/root/team1/")
    shared = {**state(customer_id, owner, "/root/team1/", 2), "viewer_ids": [str(viewer)],
              "holder_id": str(holder), "changed": ["viewer_ids", "holder_id"]}
    await feed(pool, envelope("customer.updated", customer_id, owner, shared))
    assert await timeline(pool, customer_id, principal(viewer, "/elsewhere/"))
    assert await timeline(pool, customer_id, principal(holder, "/elsewhere/"))
    unshared = {**state(customer_id, owner, "/root/team1/", 3), "viewer_ids": [], "changed": ["viewer_ids"]}
    await feed(pool, envelope("customer.updated", customer_id, owner, unshared))
    for who in (viewer, holder):
        with pytest.raises(NotFound):
            await timeline(pool, customer_id, principal(who, "/elsewhere/"))


async def test_a_manager_without_a_unit_path_reaches_nobody(pool):
    customer_id = await created(pool, uuid.uuid4(), "/root/team1/")
    with pytest.raises(NotFound):
        await timeline(pool, customer_id, principal(uuid.uuid4(), "", "manager"))


async def test_labels_owner_and_edits_are_one_line_each(pool):
    owner, rep2, manager = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    customer_id = await created(pool, owner, "/a/")
    # one PATCH that changes labels, owner and email publishes updated + labels_changed + owner_changed
    await feed(pool, envelope("customer.updated", customer_id, manager, {
        **state(customer_id, rep2, "/a/", 2), "changed": ["labels", "owner_id", "email"]}))
    await feed(pool, envelope("customer.labels_changed", customer_id, manager, {
        "customer_id": str(customer_id), "added": ["hot"], "removed": ["cold"], "labels": ["hot"], "version": 2}))
    await feed(pool, envelope("customer.owner_changed", customer_id, manager, {
        "customer_id": str(customer_id), "from_owner_id": str(owner), "to_owner_id": str(rep2),
        "reason": "customer.updated", "version": 2}))
    # an assignment recall gives the customer back
    await feed(pool, envelope("customer.owner_changed", customer_id, manager, {
        "customer_id": str(customer_id), "from_owner_id": str(rep2), "to_owner_id": str(owner),
        "reason": "assignment.recalled", "assignment_id": str(uuid.uuid4()), "version": 3}))
    # an update whose only changes have lines of their own makes no `edited` line
    await feed(pool, envelope("customer.updated", customer_id, manager, {
        **state(customer_id, owner, "/a/", 3), "changed": ["owner_id", "owner_unit_path", "holder_id"]}))

    rows = await timeline(pool, customer_id, principal(owner, "/a/"))
    lines = [(r["type"], r["data"]) for r in rows if r["type"] != "created"]
    assert [t for t, _ in lines] == ["recalled", "assigned", "classified", "edited"]
    assert lines[3][1] == {"changed": ["email"]}
    assert lines[2][1] == {"labels_added": ["hot"], "labels_removed": ["cold"]}
    assert (lines[1][1]["from_owner_id"], lines[1][1]["to_owner_id"]) == (str(owner), str(rep2))
    assert lines[0][1]["reason"] == "assignment.recalled"


async def test_compensation_requests_and_decisions_are_history_and_notify_the_owner(pool):
    from crm_interactions.handlers import notifications
    owner = uuid.uuid4()
    customer_id = await created(pool, owner, "/a/")
    [compensation] = [c for c in CONSUMERS if "crm.compensation" in c.topics]
    request_id, package_id = str(uuid.uuid4()), str(uuid.uuid4())
    events = [
        Envelope(type="compensation.request_created", source="compensation", subject=request_id, actor=str(owner),
                 data={"request_id": request_id, "customer_id": str(customer_id), "package_id": package_id,
                       "reason_code": "wrong_number", "owner_id": str(owner)}),
        Envelope(type="compensation.request_decided", source="compensation", subject=request_id,
                 data={"request_id": request_id, "customer_id": str(customer_id), "package_id": package_id,
                       "decision": "approved", "note": "Đúng số sai", "owner_id": str(owner)}),
        Envelope(type="compensation.request_created", source="compensation", subject=request_id,
                 data={"request_id": request_id}),  # no customer: no line, no failure
    ]
    handle = EventConsumer(name="test-comp", pool=pool, bootstrap="unused:0", topics=[], handlers=compensation.handlers)
    for event in events:
        assert await handle.handle(event, compensation.handlers[event.type]) is True
    assert await handle.handle(events[1], compensation.handlers[events[1].type]) is False  # redelivery
    rows = [r for r in await timeline(pool, customer_id, principal(owner, "/a/")) if r["type"] == "compensation"]
    assert [(r["data"]["stage"], r["data"].get("decision"), r["note"]) for r in rows] == [
        ("decided", "approved", "Đúng số sai"), ("created", None, None)]
    assert rows[1]["data"]["reason_code"] == "wrong_number"
    inbox, _, _ = await notifications.list_notifications(pool, principal=principal(owner, "/a/"))
    assert [n["type"] for n in inbox] == ["compensation_decided"]
