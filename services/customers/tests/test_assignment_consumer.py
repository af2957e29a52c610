"""Owner and holder changes from the assignment service's events, fed through the consumer's
inbox: versions, one customers.bulk_owner_changed batch per event (no per-customer events),
redelivery, recall."""
from __future__ import annotations

import uuid

import pytest
from aiokafka.structs import ConsumerRecord

from crmkit import directory
from crmkit.auth import Principal
from crmkit.consumer import EventConsumer
from crmkit.events import Envelope
from crmkit.unit_of_work import MessageContext, bound

from crm_customers.consumers import CONSUMERS
from crm_customers.handlers.assignments import UnknownAssignee
from crm_customers.handlers.customers import create_customer, get_customer

SPEC = next(c for c in CONSUMERS if c.name == "assignment")
ADMIN = Principal(user_id=uuid.uuid4(), username="admin", unit_id=None, unit_path="", roles=frozenset({"admin"}))


async def user(pool, unit_path: str) -> Principal:
    unit_id = uuid.uuid4()
    data = {"id": str(uuid.uuid4()), "username": f"u{uuid.uuid4().hex[:6]}", "unit_id": str(unit_id),
            "unit_path": unit_path, "roles": ["sales"], "active": True}
    async with pool.acquire() as conn:
        await directory.HANDLERS["user.created"](conn, Envelope(type="user.created", source="gateway", subject=data["id"], data=data))
    return Principal(user_id=uuid.UUID(data["id"]), username=data["username"], unit_id=unit_id, unit_path=unit_path,
                     roles=frozenset({"sales"}))


def assignment(type_: str, assignee: uuid.UUID, customers: list[uuid.UUID], assignment_id: uuid.UUID, **data) -> Envelope:
    return Envelope(type=type_, source="assignment", subject=str(assignment_id), actor=str(ADMIN.user_id),
                    data={"assignment_id": str(assignment_id), "assignee_id": str(assignee),
                          "customer_ids": [str(c) for c in customers], **data})


def consumer(pool) -> EventConsumer:
    return EventConsumer(name="test", pool=pool, bootstrap="unused:0", topics=SPEC.topics, handlers=SPEC.handlers)


async def feed(pool, e: Envelope) -> bool:
    """Handle `e` in the message context the consumer binds for it (`EventConsumer.process`)."""
    c = consumer(pool)
    with bound(MessageContext(actor=e.actor, correlation_id=e.correlation_id, causation_id=str(e.id))):
        return await c.handle(e, c.handlers[e.type])


async def published(pool, type_: str) -> list[dict]:
    rows = await pool.fetch("SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", type_)
    return [r["payload"] for r in rows]


async def test_offer_accept_and_recall_move_holder_and_owner(pool):
    previous, rep = await user(pool, "/r/b1/t1/"), await user(pool, "/r/b2/t2/")
    first = await create_customer(pool, principal=previous, name="An", phone="0912345301")
    second = await create_customer(pool, principal=previous, name="Bình", phone="0912345302")
    ids, job = [first["id"], second["id"]], uuid.uuid4()

    await feed(pool, assignment("assignment.offered", rep.user_id, ids, job))
    held = await get_customer(pool, principal=rep, customer_id=first["id"])  # holding: visible to the rep
    assert held["holder_id"] == rep.user_id and held["owner_id"] == previous.user_id and held["version"] == 2

    accepted = assignment("assignment.accepted", rep.user_id, ids, job)
    assert await feed(pool, accepted) is True
    assert await feed(pool, accepted) is False  # redelivered: no second version
    owned = await get_customer(pool, principal=rep, customer_id=first["id"])
    assert (owned["owner_id"], owned["holder_id"], owned["owner_unit_path"], owned["version"]) == (
        rep.user_id, rep.user_id, "/r/b2/t2/", 3)
    batches = await published(pool, "customers.bulk_owner_changed")
    assert [(b["data"]["reason"], len(b["data"]["ids"])) for b in batches] == [
        ("assignment.offered", 2), ("assignment.accepted", 2)]
    at = batches[1]["data"]["ids"].index(str(first["id"]))
    accepted_batch = batches[1]["data"]
    assert (accepted_batch["from_owner_ids"][at], accepted_batch["to_owner_ids"][at],
            accepted_batch["from_holder_ids"][at], accepted_batch["to_holder_ids"][at],
            accepted_batch["owner_unit_paths"][at], accepted_batch["versions"][at]) == (
        str(previous.user_id), str(rep.user_id), str(rep.user_id), str(rep.user_id), "/r/b2/t2/", 3)
    assert batches[1]["causation_id"] == str(accepted.id) and accepted_batch["last"] is True
    assert accepted_batch["assignment_id"] == str(job)
    # no per-customer events for assignments (E-3)
    assert await published(pool, "customer.owner_changed") == [] and await published(pool, "customer.updated") == []

    await feed(pool, assignment("assignment.recalled", rep.user_id, ids, job,
                                previous_owner_ids={str(first["id"]): str(previous.user_id), str(second["id"]): None}))
    back = await get_customer(pool, principal=previous, customer_id=first["id"])
    assert (back["owner_id"], back["holder_id"], back["owner_unit_path"], back["version"]) == (
        previous.user_id, None, "/r/b1/t1/", 4)
    pool_customer = await get_customer(pool, principal=ADMIN, customer_id=second["id"])
    assert pool_customer["owner_id"] is None and pool_customer["holder_id"] is None
    assert pool_customer["owner_unit_path"] == "/r/b2/t2/"  # unassigned, stays in the last owner's unit


async def test_direct_assignment_decline_and_stale_recall(pool):
    owner, rep, other = await user(pool, "/r/b1/"), await user(pool, "/r/b2/"), await user(pool, "/r/b3/")
    customer = await create_customer(pool, principal=owner, name="An", phone="0912345303")
    # an assignee unknown to the directory, described by the event
    stranger = uuid.uuid4()
    await feed(pool, assignment("assignment.direct", stranger, [customer["id"]], uuid.uuid4(),
                                assignee_unit_id=str(uuid.uuid4()), assignee_unit_path="/r/b9/"))
    row = await get_customer(pool, principal=ADMIN, customer_id=customer["id"])
    assert (row["owner_id"], row["owner_unit_path"]) == (stranger, "/r/b9/")
    # a decline by someone who does not hold it changes nothing
    await feed(pool, assignment("assignment.declined", rep.user_id, [customer["id"]], uuid.uuid4()))
    assert (await get_customer(pool, principal=ADMIN, customer_id=customer["id"]))["version"] == row["version"]
    await feed(pool, assignment("assignment.offered", other.user_id, [customer["id"]], uuid.uuid4()))
    await feed(pool, assignment("assignment.expired", other.user_id, [customer["id"]], uuid.uuid4()))
    after = await get_customer(pool, principal=ADMIN, customer_id=customer["id"])
    assert after["holder_id"] is None and after["owner_id"] == stranger
    # a recall of someone who neither holds nor owns it any more is ignored
    await feed(pool, assignment("assignment.recalled", rep.user_id, [customer["id"]], uuid.uuid4(),
                                previous_owner_id=str(owner.user_id)))
    assert (await get_customer(pool, principal=ADMIN, customer_id=customer["id"]))["owner_id"] == stranger
    # unknown customers are skipped
    assert await feed(pool, assignment("assignment.accepted", rep.user_id, [uuid.uuid4()], uuid.uuid4())) is True


async def test_an_assignee_nobody_knows_fails_the_event(pool):
    owner = await user(pool, "/r/b1/")
    customer = await create_customer(pool, principal=owner, name="An", phone="0912345304")
    with pytest.raises(UnknownAssignee):
        await feed(pool, assignment("assignment.accepted", uuid.uuid4(), [customer["id"]], uuid.uuid4()))
    assert (await get_customer(pool, principal=owner, customer_id=customer["id"]))["version"] == 1


async def test_large_assignments_are_published_in_chunks(pool, monkeypatch):
    from crm_customers.handlers import assignments
    monkeypatch.setattr(assignments, "CHUNK", 2)  # rows locked and updated per chunk
    monkeypatch.setattr(assignments, "EVENT_CHUNK", 2)
    owner, rep = await user(pool, "/r/b1/"), await user(pool, "/r/b2/")
    ids = [(await create_customer(pool, principal=owner, name=f"K{i}", phone=f"09123454{i:02d}"))["id"]
           for i in range(5)]
    await feed(pool, assignment("assignment.direct", rep.user_id, ids, uuid.uuid4()))
    batches = [b["data"] for b in await published(pool, "customers.bulk_owner_changed")]
    assert [(b["chunk"], b["last"], len(b["ids"])) for b in batches] == [(1, False, 2), (2, False, 2), (3, True, 1)]
    assert len({b["batch_id"] for b in batches}) == 1
    assert sorted(i for b in batches for i in b["ids"]) == sorted(str(i) for i in ids)


def test_a_full_owner_change_chunk_fits_one_kafka_record():
    import orjson

    from crmkit.events import build
    from crmkit.outbox import MAX_EVENT_BYTES

    from crm_customers import events
    from crm_customers.handlers.assignments import EVENT_CHUNK

    path = "/" + "".join(f"{uuid.uuid4()}/" for _ in range(4))  # a unit four levels deep
    n = EVENT_CHUNK
    ids = [uuid.uuid4() for _ in range(n)]
    model = events.CustomersBulkOwnerChanged(
        batch_id=uuid.uuid4(), chunk=1, last=True, reason="assignment.recalled", assignment_id=uuid.uuid4(),
        ids=ids, versions=[123456] * n, from_owner_ids=ids, to_owner_ids=ids, owner_unit_ids=ids,
        owner_unit_paths=[path] * n, from_holder_ids=ids, to_holder_ids=ids)
    _, envelope = build(model, source="customers", subject=uuid.uuid4())
    assert len(orjson.dumps(envelope.model_dump(mode="json"))) < MAX_EVENT_BYTES


async def test_a_recall_to_an_owner_the_directory_does_not_know(pool):
    """Imported data or a departed rep: the event places the previous owner by its unit; when
    nobody can, the customer stays unassigned in its unit — the event never fails for it."""
    rep = await user(pool, "/r/b2/")
    owner = await user(pool, "/r/b1/")
    placed, unplaced = [(await create_customer(pool, principal=owner, name=n, phone=p))["id"]
                        for n, p in (("An", "0912345311"), ("Bình", "0912345312"))]
    job = uuid.uuid4()
    await feed(pool, assignment("assignment.direct", rep.user_id, [placed, unplaced], job))
    ghost, unit = uuid.uuid4(), uuid.uuid4()
    assert await feed(pool, assignment(
        "assignment.recalled", rep.user_id, [placed, unplaced], job,
        previous_owner_ids={str(placed): str(ghost), str(unplaced): str(ghost)},
        previous_owner_units={str(placed): {"unit_id": str(unit), "unit_path": "/r/b7/"}})) is True
    back = await get_customer(pool, principal=ADMIN, customer_id=placed)
    assert (back["owner_id"], back["owner_unit_id"], back["owner_unit_path"]) == (ghost, unit, "/r/b7/")
    pool_customer = await get_customer(pool, principal=ADMIN, customer_id=unplaced)
    assert (pool_customer["owner_id"], pool_customer["owner_unit_path"]) == (None, "/r/b2/")


def record_of(envelope: Envelope) -> ConsumerRecord:
    raw = envelope.to_bytes()
    return ConsumerRecord(topic=SPEC.topics[0], partition=0, offset=0, timestamp=0, timestamp_type=0, key=None,
                          value=raw, checksum=None, serialized_key_size=0, serialized_value_size=len(raw), headers=())


async def test_a_consumed_events_actor_correlation_and_id_reach_the_batch_it_publishes(pool):
    """Through the consumer itself: the handler threads nothing, the envelope's context does."""
    owner, rep = await user(pool, "/r/b1/t1/"), await user(pool, "/r/b2/t2/")
    customer = await create_customer(pool, principal=owner, name="An", phone="0912345391")
    direct = assignment("assignment.direct", rep.user_id, [customer["id"]], uuid.uuid4())
    direct = direct.model_copy(update={"correlation_id": "corr-distribution-3"})
    await consumer(pool).process(record_of(direct))
    [batch] = await published(pool, "customers.bulk_owner_changed")
    assert (batch["source"], batch["actor"], batch["correlation_id"], batch["causation_id"]) == (
        "customers", str(ADMIN.user_id), "corr-distribution-3", str(direct.id))


async def test_a_recall_for_a_missed_sla_says_why_in_the_batch_event(pool):
    """`assignment.recalled` with `reason: "sla_missed"` (the SLA sweeper, A-6): the batch event
    carries it as `cause`, for the timeline's `recalled` line; a manager's recall has none."""
    owner, rep = await user(pool, "/r/b1/"), await user(pool, "/r/b2/")
    first = await create_customer(pool, principal=owner, name="An", phone="0912345311")
    second = await create_customer(pool, principal=owner, name="Bình", phone="0912345312")
    for customer in (first, second):
        await feed(pool, assignment("assignment.direct", rep.user_id, [customer["id"]], uuid.uuid4()))
    await feed(pool, assignment("assignment.recalled", rep.user_id, [first["id"]], uuid.uuid4(), reason="sla_missed",
                                previous_owner_ids={str(first["id"]): str(owner.user_id)}))
    await feed(pool, assignment("assignment.recalled", rep.user_id, [second["id"]], uuid.uuid4(),
                                previous_owner_ids={str(second["id"]): str(owner.user_id)}))
    recalls = [b["data"] for b in await published(pool, "customers.bulk_owner_changed")
               if b["data"]["reason"] == "assignment.recalled"]
    assert [(r["ids"], r["cause"]) for r in recalls] == [([str(first["id"])], "sla_missed"),
                                                        ([str(second["id"])], None)]
    assert (await get_customer(pool, principal=owner, customer_id=first["id"]))["owner_id"] == owner.user_id
