"""Batch and erasure events of the customers service (real PostgreSQL)."""
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
PATH = "/root/team/"


def state(customer_id: uuid.UUID, owner: uuid.UUID, version: int) -> dict:
    now = datetime.now(UTC).isoformat()
    return {"id": str(customer_id), "name": "Nguyễn Văn An", "phone": "+84912345678", "lifecycle": "lead",
            "party_type": "individual", "status": "new", "owner_id": str(owner), "owner_unit_id": None,
            "owner_unit_path": PATH, "version": version, "created_at": now, "updated_at": now}


async def feed(pool, type_: str, subject, data: dict, actor: uuid.UUID | None = None) -> Envelope:
    envelope = Envelope(type=type_, source="customers", subject=str(subject), actor=str(actor or uuid.uuid4()),
                        data=data)
    await EventConsumer(name="test", pool=pool, bootstrap="unused:0", topics=[], handlers=HANDLERS).handle(
        envelope, HANDLERS[type_])
    return envelope


async def customers(pool, owner: uuid.UUID, count: int) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(count)]
    for i in ids:
        await feed(pool, "customer.created", i, state(i, owner, 1), owner)
    return ids


def owner_principal(owner: uuid.UUID) -> Principal:
    return Principal(user_id=owner, username="o", unit_id=None, unit_path=PATH, roles=frozenset({"sales"}))


async def entries(pool, customer_id: uuid.UUID, owner: uuid.UUID) -> list:
    rows, _ = await read_timeline(pool, principal=owner_principal(owner), customer_id=customer_id, limit=50,
                                  cursor=None, types=None)
    return rows


async def test_a_bulk_status_change_is_one_classified_entry_per_customer_and_one_event(pool):
    owner = uuid.uuid4()
    ids = await customers(pool, owner, 3)
    batch = {"batch_id": str(uuid.uuid4()), "chunk": 1, "last": True, "ids": [str(i) for i in ids],
             "versions": [2, 2, 2], "action": "set_status", "status": "potential", "note": "gọi lại tuần sau",
             "from_statuses": ["new", "contacted", "new"]}
    envelope = await feed(pool, "customers.bulk_updated", batch["batch_id"], batch, owner)
    again = EventConsumer(name="test", pool=pool, bootstrap="unused:0", topics=[], handlers=HANDLERS)
    assert await again.handle(envelope, HANDLERS["customers.bulk_updated"]) is False  # redelivery
    second = [e for e in await entries(pool, ids[1], owner) if e["type"] == "classified"]
    assert len(second) == 1
    assert second[0]["data"] == {"from": "contacted", "to": "potential"} and second[0]["note"] == "gọi lại tuần sau"
    bulk_events = await pool.fetch("SELECT payload FROM outbox WHERE event_type = 'interactions.bulk_recorded'")
    assert len(bulk_events) == 1
    recorded = bulk_events[0]["payload"]["data"]
    assert set(recorded["customer_ids"]) == {str(i) for i in ids} and len(set(recorded["entry_ids"])) == 3
    assert str(second[0]["id"]) == recorded["entry_ids"][recorded["customer_ids"].index(str(ids[1]))]


async def test_a_bulk_label_that_displaced_another_of_its_category_says_so(pool):
    owner = uuid.uuid4()
    warm, plain = await customers(pool, owner, 2)
    batch = {"batch_id": str(uuid.uuid4()), "chunk": 1, "last": True, "ids": [str(warm), str(plain)],
             "versions": [2, 2], "action": "add_labels", "labels": ["hot"], "removed_labels": [["warm"], []]}
    await feed(pool, "customers.bulk_updated", batch["batch_id"], batch, owner)
    [line] = [e for e in await entries(pool, warm, owner) if e["type"] == "classified"]
    assert line["data"] == {"labels_added": ["hot"], "labels_removed": ["warm"]}
    [line] = [e for e in await entries(pool, plain, owner) if e["type"] == "classified"]
    assert line["data"] == {"labels_added": ["hot"]}


async def test_bulk_delete_hides_and_restore_shows_again(pool):
    owner = uuid.uuid4()
    [customer_id] = await customers(pool, owner, 1)
    await feed(pool, "customers.bulk_deleted", uuid.uuid4(), {
        "batch_id": str(uuid.uuid4()), "chunk": 1, "last": True, "ids": [str(customer_id)], "versions": [2],
        "deleted_at": datetime.now(UTC).isoformat()})
    with pytest.raises(NotFound):
        await entries(pool, customer_id, owner)
    await feed(pool, "customer.restored", customer_id, state(customer_id, owner, 3))
    assert await entries(pool, customer_id, owner)


async def test_a_stale_delete_does_not_hide_a_newer_state(pool):
    owner = uuid.uuid4()
    [customer_id] = await customers(pool, owner, 1)
    await feed(pool, "customer.restored", customer_id, state(customer_id, owner, 5))
    await feed(pool, "customers.bulk_deleted", uuid.uuid4(), {
        "batch_id": str(uuid.uuid4()), "chunk": 1, "last": True, "ids": [str(customer_id)], "versions": [4],
        "deleted_at": datetime.now(UTC).isoformat()})
    assert await entries(pool, customer_id, owner)


async def test_purge_erases_personal_data_and_late_events_cannot_bring_it_back(pool):
    owner = uuid.uuid4()
    [customer_id, kept] = await customers(pool, owner, 2)
    await pool.execute("UPDATE outbox SET published_at = now()")  # the relay sent its interaction.recorded
    await feed(pool, "customer.purged", customer_id, {"customer_id": str(customer_id),
                                                      "purged_at": datetime.now(UTC).isoformat(), "version": 9})
    rows = await pool.fetch("SELECT note, data, actor_id FROM timeline_entries WHERE customer_id = $1", customer_id)
    assert rows and all(r["data"] == {} and r["note"] is None and r["actor_id"] is None for r in rows)
    # published events about it (they carry the entries' notes) go now, not after the retention
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE key = $1", str(customer_id)) == 0
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE key = $1", str(kept)) >= 1
    late = {**state(customer_id, owner, 10), "changed": ["name"]}
    await feed(pool, "customer.updated", customer_id, late, owner)
    assert await pool.fetchval("SELECT count(*) FROM timeline_entries WHERE customer_id = $1 AND data <> '{}'",
                               customer_id) == 0
    access = await pool.fetchrow("SELECT deleted, purged, owner_id FROM customer_access WHERE customer_id = $1",
                                 customer_id)
    assert access["deleted"] and access["purged"] and access["owner_id"] is None
    assert (await entries(pool, kept, owner))[0]["data"] == {"name": "Nguyễn Văn An"}  # others untouched


async def test_bulk_purge_erases_every_listed_customer(pool):
    owner = uuid.uuid4()
    ids = await customers(pool, owner, 3)
    await feed(pool, "customers.bulk_purged", uuid.uuid4(), {
        "batch_id": str(uuid.uuid4()), "chunk": 1, "last": True, "ids": [str(i) for i in ids],
        "purged_at": datetime.now(UTC).isoformat()})
    assert await pool.fetchval("SELECT count(*) FROM customer_access WHERE purged") == 3
    assert await pool.fetchval("SELECT count(*) FROM timeline_entries WHERE data <> '{}'") == 0


async def test_one_deleted_customer_is_hidden_unless_a_newer_state_arrived(pool):
    owner = uuid.uuid4()
    [customer_id, restored_later] = await customers(pool, owner, 2)
    await feed(pool, "customer.deleted", customer_id, {"customer_id": str(customer_id), "version": 2,
                                                       "deleted_at": datetime.now(UTC).isoformat()})
    with pytest.raises(NotFound):
        await entries(pool, customer_id, owner)
    await feed(pool, "customer.restored", restored_later, state(restored_later, owner, 4))
    await feed(pool, "customer.deleted", restored_later, {"customer_id": str(restored_later), "version": 3,
                                                          "deleted_at": datetime.now(UTC).isoformat()})
    assert await entries(pool, restored_later, owner)


async def test_an_import_chunk_adds_new_customers_and_one_imported_entry_each(pool):
    importer, viewer = uuid.uuid4(), uuid.uuid4()
    [existing] = await customers(pool, importer, 1)
    await feed(pool, "customer.updated", existing, {**state(existing, importer, 2), "viewer_ids": [str(viewer)]})
    purged = uuid.uuid4()
    await feed(pool, "customer.purged", purged, {"customer_id": str(purged)})
    created = uuid.uuid4()
    chunk = {"batch_id": str(uuid.uuid4()), "job_id": "job-7", "ids": [str(created), str(existing), str(purged)],
             "versions": [1, 3, 1], "rows": [2, 3, 4], "actions": ["created", "updated", "created"],
             "owner_ids": [str(importer)] * 3, "owner_unit_paths": [PATH] * 3}
    envelope = await feed(pool, "customers.bulk_imported", chunk["batch_id"], chunk, importer)
    again = EventConsumer(name="test", pool=pool, bootstrap="unused:0", topics=[], handlers=HANDLERS)
    assert await again.handle(envelope, HANDLERS["customers.bulk_imported"]) is False  # redelivery

    [new_entry] = [e for e in await entries(pool, created, importer) if e["type"] == "imported"]
    assert new_entry["data"] == {"job_id": "job-7", "row": 2, "action": "created"}
    assert [e["data"]["row"] for e in await entries(pool, existing, importer) if e["type"] == "imported"] == [3]
    # an import keeps who else may see an existing customer; a purged one gets nothing back
    assert (await read_timeline(pool, principal=owner_principal(viewer), customer_id=existing, limit=5,
                                cursor=None, types=["imported"]))[0]
    assert await pool.fetchval("SELECT count(*) FROM timeline_entries WHERE customer_id = $1", purged) == 0
    assert await pool.fetchval("SELECT purged AND owner_id IS NULL FROM customer_access WHERE customer_id = $1",
                               purged)
    [recorded] = await pool.fetch("SELECT payload FROM outbox WHERE event_type = 'interactions.bulk_recorded'")
    data = recorded["payload"]["data"]
    assert data["type"] == "imported" and sorted(data["customer_ids"]) == sorted([str(created), str(existing)])
    # time-ordered ids (UUIDv7), consecutive within the batch
    assert all(uuid.UUID(i).version == 7 for i in data["entry_ids"])
    assert len({i[:28] for i in data["entry_ids"]}) == 1


async def test_an_assignment_batch_moves_owners_and_holders_and_writes_one_line_each(pool):
    owner, rep, viewer = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    first, second = await customers(pool, owner, 2)
    await feed(pool, "customer.updated", first, {**state(first, owner, 2), "viewer_ids": [str(viewer)]})
    unknown = uuid.uuid4()  # its customer.created has not arrived yet (batch events are keyed by batch)
    assignment_id = str(uuid.uuid4())
    batch = {"batch_id": str(uuid.uuid4()), "chunk": 1, "last": True, "reason": "assignment.direct",
             "assignment_id": assignment_id, "ids": [str(first), str(second), str(unknown)], "versions": [3, 2, 2],
             "from_owner_ids": [str(owner), str(owner), None], "to_owner_ids": [str(rep)] * 3,
             "owner_unit_ids": [None] * 3, "owner_unit_paths": ["/root/other/"] * 3,
             "from_holder_ids": [None] * 3, "to_holder_ids": [str(rep)] * 3}
    envelope = await feed(pool, "customers.bulk_owner_changed", batch["batch_id"], batch, owner)
    again = EventConsumer(name="test", pool=pool, bootstrap="unused:0", topics=[], handlers=HANDLERS)
    assert await again.handle(envelope, HANDLERS["customers.bulk_owner_changed"]) is False  # redelivery

    rep_sees = owner_principal(rep)
    lines = (await read_timeline(pool, principal=rep_sees, customer_id=first, limit=10, cursor=None,
                                 types=["assigned"]))[0]
    assert [(e["data"]["from_owner_id"], e["data"]["to_owner_id"], e["data"]["reason"]) for e in lines] == [
        (str(owner), str(rep), "assignment.direct")]
    # the former owner no longer sees it; the viewer still does; the unknown one is known now
    with pytest.raises(NotFound):
        await read_timeline(pool, principal=owner_principal(owner), customer_id=first, limit=1, cursor=None,
                            types=None)
    assert await read_timeline(pool, principal=owner_principal(viewer), customer_id=first, limit=1, cursor=None,
                               types=None)
    assert await pool.fetchval("SELECT holder_id FROM customer_access WHERE customer_id = $1", unknown) == rep
    # a recall gives them back: `recalled` lines; an older batch changes nothing
    back = {**batch, "batch_id": str(uuid.uuid4()), "reason": "assignment.recalled", "versions": [4, 3, 3],
            "from_owner_ids": [str(rep)] * 3, "to_owner_ids": [str(owner)] * 3, "owner_unit_paths": [PATH] * 3,
            "from_holder_ids": [str(rep)] * 3, "to_holder_ids": [None] * 3}
    await feed(pool, "customers.bulk_owner_changed", back["batch_id"], back, owner)
    stale = {**batch, "batch_id": str(uuid.uuid4()), "versions": [3, 2, 2]}
    await feed(pool, "customers.bulk_owner_changed", stale["batch_id"], stale, owner)
    assert await pool.fetchval("SELECT owner_id FROM customer_access WHERE customer_id = $1", first) == owner
    recalled = (await read_timeline(pool, principal=owner_principal(owner), customer_id=first, limit=10,
                                    cursor=None, types=["recalled"]))[0]
    assert len(recalled) == 1 and recalled[0]["data"]["reason"] == "assignment.recalled"
    assert [e["event_type"] for e in await pool.fetch(
        "SELECT event_type FROM outbox WHERE event_type = 'interactions.bulk_recorded'")] == [
        "interactions.bulk_recorded"] * 3


async def test_a_recall_for_a_missed_sla_says_why_on_its_line(pool):
    """The batch's `cause` (the recall's reason, A-6) is kept in the `recalled` line's data; the
    lines of batches without one have no `cause`."""
    owner, rep = uuid.uuid4(), uuid.uuid4()
    (first,) = await customers(pool, owner, 1)
    batch = {"batch_id": str(uuid.uuid4()), "chunk": 1, "last": True, "reason": "assignment.recalled",
             "assignment_id": str(uuid.uuid4()), "ids": [str(first)], "versions": [5],
             "from_owner_ids": [str(rep)], "to_owner_ids": [str(owner)], "owner_unit_ids": [None],
             "owner_unit_paths": [PATH], "from_holder_ids": [str(rep)], "to_holder_ids": [None],
             "cause": "sla_missed"}
    await feed(pool, "customers.bulk_owner_changed", batch["batch_id"], batch, owner)
    plain = {**batch, "batch_id": str(uuid.uuid4()), "versions": [6], "cause": None}
    await feed(pool, "customers.bulk_owner_changed", plain["batch_id"], plain, owner)
    lines = (await read_timeline(pool, principal=owner_principal(owner), customer_id=first, limit=10, cursor=None,
                                 types=["recalled"]))[0]
    assert sorted(e["data"].get("cause") or "-" for e in lines) == ["-", "sla_missed"]
