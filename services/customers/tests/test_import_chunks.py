"""Import chunks applied by the customers service (`handlers/imports.py`) against the real
PostgreSQL (and Kafka for the delivery test): creates and updates by phone, the importer's edit
rights, the stable failure codes, dry runs, exactly-once application of a re-sent chunk, the
answer's counts, and `customers.bulk_imported` as its consumers read it."""
from __future__ import annotations

import asyncio
import uuid

import asyncpg
import orjson
import pytest
from aiokafka import AIOKafkaProducer
from prometheus_client import REGISTRY

from crmkit import directory
from crmkit.auth import Principal
from crmkit.consumer import EventConsumer
from crmkit.events import Envelope
from crmkit.testing import create_topics, delete_topics, eventually, kafka_bootstrap, unique_topic
from crmkit.unit_of_work import MessageContext, bound

from crm_assignment.consumed_events import CustomersImported
from crm_customers import consumed_events as consumed
from crm_customers.consumers import CONSUMERS
from crm_customers.handlers.attributes import create_attribute
from crm_customers.handlers.configuration import create_item
from crm_customers.handlers.customers import create_customer, delete_customer, get_customer
from crm_customers.handlers.imports import EVENT_CHUNK, UnknownImporter, apply_import_chunk
from crm_import.consumed_events import ChunkApplied
from crm_interactions.consumed_events import BulkImported

SPEC = next(c for c in CONSUMERS if c.name == "import")
ADMIN = Principal(user_id=uuid.uuid4(), username="admin", unit_id=None, unit_path="", roles=frozenset({"admin"}))
FIELDS = ["name", "phone", "email", "province", "source", "attributes.tier"]


async def user(pool, unit_path: str, *roles: str) -> Principal:
    """A user in the directory (as the identity events put them there) and as a principal."""
    unit_id, roles = uuid.uuid4(), roles or ("sales",)
    data = {"id": str(uuid.uuid4()), "username": f"u{uuid.uuid4().hex[:6]}", "unit_id": str(unit_id),
            "unit_path": unit_path, "roles": list(roles), "active": True}
    async with pool.acquire() as conn:
        await directory.HANDLERS["user.created"](conn, Envelope(type="user.created", source="gateway",
                                                                subject=data["id"], data=data))
    return Principal(user_id=uuid.UUID(data["id"]), username=data["username"], unit_id=unit_id,
                     unit_path=unit_path, roles=frozenset(roles))


def command(importer: Principal, rows: list[list[str | None]], *, fields: list[str] = FIELDS, chunk_no: int = 0,
            job_id: uuid.UUID | None = None, first_row: int = 2, **data) -> Envelope:
    """A chunk as the import service sends it: deterministic envelope id per (job, chunk)."""
    job_id = job_id or uuid.uuid4()
    payload = {"job_id": str(job_id), "chunk_no": chunk_no, "dry_run": False, "importer_id": str(importer.user_id),
               "owner_id": None, "group_id": None, "lead_package_id": None, "fields": fields,
               "rows": [{"row": first_row + i, "values": values} for i, values in enumerate(rows)], **data}
    return Envelope(id=uuid.uuid5(job_id, f"chunk-{chunk_no}"), type="customers.import_chunk", source="import",
                    subject=str(job_id), actor=str(importer.user_id), data=payload)


async def feed(pool, e: Envelope) -> bool:
    """Handle `e` through the import consumer's inbox, in the context the consumer binds."""
    c = EventConsumer(name="crm-customers.import", pool=pool, bootstrap="unused:0", topics=SPEC.topics,
                      handlers=SPEC.handlers)
    with bound(MessageContext(actor=e.actor, correlation_id=e.correlation_id, causation_id=str(e.id))):
        return await c.handle(e, c.handlers[e.type])


async def published(pool, type_: str) -> list[dict]:
    rows = await pool.fetch("SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", type_)
    return [r["payload"] for r in rows]


async def answer(pool) -> dict:
    answers = await published(pool, "customers.import_chunk_applied")
    assert len(answers) == 1
    return answers[0]["data"]


async def by_phone(pool, phone: str):
    return await pool.fetchrow("SELECT * FROM customers WHERE phone = $1", phone)


@pytest.fixture
async def tier(pool):
    return await create_attribute(pool, principal=ADMIN, values={
        "key": "tier", "name": "Hạng", "type": "select",
        "options": [{"value": "gold", "label": "Vàng"}, {"value": "silver", "label": "Bạc"}]})


async def test_rows_create_new_customers_and_update_the_importers_own_by_phone(pool, tier):
    rep = await user(pool, "/r/b1/t1/")
    group = await create_item(pool, principal=ADMIN, kind="group", values={"name": "Hội chợ", "description": "Tháng 9"})
    mine = await create_customer(pool, principal=rep, name="Cũ", phone="0912000002", source="web",
                                 email="old@x.vn")
    job = uuid.uuid4()
    sent = command(rep, [["Nguyễn Văn An", "0912 000 001", "an@x.vn", "Hà Giang", "Hội chợ", "Vàng"],
                         [None, "+84912000002", None, "TP HCM", "", "silver"],
                         ["Lê Chi", "84-912-000-003", None, None, None, None]],
                   job_id=job, group_id=str(group["id"]))
    assert await feed(pool, sent) is True

    assert await answer(pool) == {"job_id": str(job), "chunk_no": 0, "dry_run": False, "created": 2,
                                  "updated": 1, "failures": [], "failures_omitted": 0}
    assert ChunkApplied.model_validate(await answer(pool)).created == 2  # as the import service reads it
    new = await by_phone(pool, "+84912000001")
    assert (new["name"], new["email"], new["province_name"], new["source"], new["status"], new["lifecycle"]) == (
        "Nguyễn Văn An", "an@x.vn", "Tuyên Quang", "Hội chợ", "new", "lead")
    assert new["attributes"] == {"tier": "gold"}
    assert (new["owner_id"], new["owner_unit_id"], new["owner_unit_path"], new["created_by"], new["version"]) == (
        rep.user_id, rep.unit_id, "/r/b1/t1/", rep.user_id, 1)
    assert new["groups"] == [group["id"]] and new["id"].version == 7  # UUIDv7
    updated = await get_customer(pool, principal=rep, customer_id=mine["id"])
    # mapped non-empty values only: name, e-mail and source kept; owner never changes
    assert (updated["name"], updated["email"], updated["source"], updated["province"]["code"]) == (
        "Cũ", "old@x.vn", "web", 79)
    assert updated["attributes"] == {"tier": "silver"} and updated["groups"] == [group["id"]]
    assert (updated["owner_id"], updated["version"]) == (rep.user_id, mine["version"] + 1)
    searchable = await pool.fetchval("SELECT s.search_doc FROM customers c JOIN customer_search s"
                                     " ON s.customer_id = c.id WHERE c.phone = '+84912000003'")
    assert "le chi" in searchable  # the search row's triggers cover imported rows

    [imported] = await published(pool, "customers.bulk_imported")
    data = imported["data"]
    assert imported["subject"] == str(sent.id) and imported["causation_id"] == str(sent.id)
    assert (data["batch_id"], data["job_id"], data["chunk"], data["last"]) == (str(sent.id), str(job), 1, True)
    assert data["rows"] == [2, 3, 4] and data["actions"] == ["created", "updated", "created"]
    assert data["ids"][1] == str(mine["id"]) and data["versions"] == [1, mine["version"] + 1, 1]
    assert data["owner_ids"] == [str(rep.user_id)] * 3 and data["owner_unit_paths"] == ["/r/b1/t1/"] * 3
    # the consumers' own models read it (interactions: timeline and access; assignment: refs)
    read = BulkImported.model_validate(data)
    assert (read.rows, read.actions, read.job_id) == ([2, 3, 4], data["actions"], str(job))
    assert CustomersImported.model_validate(data).owner_unit_ids == [rep.unit_id] * 3
    # no per-customer events for an import (the one customer.created is the set-up's)
    assert len(await published(pool, "customer.created")) == 1 and await published(pool, "customer.updated") == []


async def test_a_phone_the_importer_may_not_edit_fails_with_not_editable_and_changes_nothing(pool, tier):
    rep, other = await user(pool, "/r/b1/t1/"), await user(pool, "/r/b2/t2/")
    manager = await user(pool, "/r/b2/", "manager")
    theirs = await create_customer(pool, principal=other, name="Của người khác", phone="0912000010")
    gone = await create_customer(pool, principal=rep, name="Đã xoá", phone="0912000011")
    await delete_customer(pool, principal=rep, customer_id=gone["id"], expected_version=None)
    rows = [["Tên mới", "0912000010", "new@x.vn", None, None, None], ["Lại", "0912000011", None, None, None, None]]

    assert await feed(pool, command(rep, rows)) is True
    assert (await answer(pool))["failures"] == [{"row": 2, "field": "phone", "code": "not_editable"},
                                                {"row": 3, "field": "phone", "code": "not_editable"}]
    unchanged = await get_customer(pool, principal=other, customer_id=theirs["id"])
    assert (unchanged["name"], unchanged["email"], unchanged["version"]) == ("Của người khác", None, 1)
    assert await published(pool, "customers.bulk_imported") == []
    # a manager above the owner's unit may edit it: the same rule as PATCH /customers/{id}
    assert await feed(pool, command(manager, rows[:1])) is True
    assert (await get_customer(pool, principal=other, customer_id=theirs["id"]))["email"] == "new@x.vn"
    # a deleted customer's phone stays taken, even for an admin
    admin = await user(pool, "/r/", "admin")
    await pool.execute("DELETE FROM outbox")
    assert await feed(pool, command(admin, rows[1:])) is True
    assert (await answer(pool))["failures"] == [{"row": 2, "field": "phone", "code": "not_editable"}]


async def test_every_invalid_value_fails_its_row_with_a_stable_code(pool, tier):
    rep = await user(pool, "/r/b1/")
    fields = ["name", "phone", "email", "tax_code", "province", "birthday", "gender", "attributes.tier",
              "attributes.nope", "address"]
    ok = ["An", "0912000020", "a@x.vn", "0100109106", "Hà Nội", "31/12/1990", "Nữ", "gold", None, None]

    def bad(at: int, value: str) -> list[str | None]:
        return [*ok[:at], value, *ok[at + 1:]]

    rows = [ok, bad(1, "12345"), bad(2, "a@"), bad(3, "0100109107"), bad(4, "Atlantis"), bad(5, "32/01/1990"),
            bad(6, "robot"), bad(7, "platinum"), bad(8, "x"), bad(9, "x" * 501), bad(0, None), bad(1, None),
            [None, "0912000021", "bad@", "123", None, "2999-01-01", None, None, None, None]]
    rows = [[*r[:1], r[1] if r[1] != ok[1] or i == 0 else f"09120001{i:02d}", *r[2:]] for i, r in enumerate(rows)]
    assert await feed(pool, command(rep, rows, fields=fields)) is True

    result = await answer(pool)
    assert (result["created"], result["updated"]) == (1, 0)
    assert [(f["row"], f["field"], f["code"]) for f in result["failures"]] == [
        (3, "phone", "invalid_phone"), (4, "email", "invalid_email"), (5, "tax_code", "invalid_tax_code"),
        (6, "province", "invalid_province"), (7, "birthday", "invalid_date"), (8, "gender", "invalid_value"),
        (9, "attributes.tier", "invalid_value"), (10, "attributes.nope", "unknown_attribute"),
        (11, "address", "too_long"), (12, "name", "required"), (13, "phone", "required"),
        (14, "email", "invalid_email"), (14, "tax_code", "invalid_tax_code"), (14, "birthday", "invalid_date"),
        (14, "name", "required")]
    assert await pool.fetchval("SELECT count(*) FROM customers") == 1  # nothing of a failing row


async def test_a_dry_run_decides_the_same_and_writes_nothing(pool, tier):
    rep = await user(pool, "/r/b1/")
    mine = await create_customer(pool, principal=rep, name="Cũ", phone="0912000030")
    rows = [["Mới", "0912000031", None, None, None, None], ["Cũ mới", "0912000030", None, None, None, None],
            ["Sai", "0912000032", "x@", None, None, None]]
    assert await feed(pool, command(rep, rows, dry_run=True)) is True

    result = await answer(pool)
    assert (result["dry_run"], result["created"], result["updated"]) == (True, 1, 1)
    assert result["failures"] == [{"row": 4, "field": "email", "code": "invalid_email"}]
    assert await pool.fetchval("SELECT count(*) FROM customers") == 1
    assert (await get_customer(pool, principal=rep, customer_id=mine["id"]))["version"] == 1
    assert await published(pool, "customers.bulk_imported") == []


async def test_the_same_chunk_delivered_twice_is_applied_once(pool, tier):
    rep = await user(pool, "/r/b1/")
    job = uuid.uuid4()
    rows = [[f"Khách {i}", f"09120004{i:02d}", None, None, None, None] for i in range(10)]
    assert await feed(pool, command(rep, rows, job_id=job)) is True
    assert await feed(pool, command(rep, rows, job_id=job)) is False  # re-sent after a crash: same id
    assert await pool.fetchval("SELECT count(*) FROM customers") == 10
    assert len(await published(pool, "customers.bulk_imported")) == 1
    assert (await answer(pool))["created"] == 10
    # the next chunk of the job is another command
    assert await feed(pool, command(rep, rows[:2], job_id=job, chunk_no=1)) is True
    assert await pool.fetchval("SELECT max(version) FROM customers") == 2


async def test_a_chunk_whose_every_row_fails_still_answers_and_a_refused_owner_fails_every_row(pool, tier):
    rep, stranger = await user(pool, "/r/b1/"), await user(pool, "/r/b9/")
    assert await feed(pool, command(rep, [[None, "1", None, None, None, None]])) is True
    assert (await answer(pool))["failures"] == [{"row": 2, "field": "phone", "code": "invalid_phone"}]
    await pool.execute("DELETE FROM outbox")
    assert await feed(pool, command(rep, [["An", "0912000050", None, None, None, None]],
                                    owner_id=str(stranger.user_id))) is True
    assert (await answer(pool)) | {"job_id": None} == {
        "job_id": None, "chunk_no": 0, "dry_run": False, "created": 0, "updated": 0,
        "failures": [{"row": 2, "field": "owner_id", "code": "owner_not_in_reach"}], "failures_omitted": 0}
    assert await pool.fetchval("SELECT count(*) FROM customers") == 0


async def test_a_manager_imports_for_a_rep_of_the_unit_with_a_lead_package(pool, tier):
    manager, rep = await user(pool, "/r/b1/", "manager"), await user(pool, "/r/b1/t1/")
    package = uuid.uuid4()
    assert await feed(pool, command(manager, [["An", "0912000060", None, None, None, None]],
                                    owner_id=str(rep.user_id), lead_package_id=str(package))) is True
    row = await by_phone(pool, "+84912000060")
    assert (row["owner_id"], row["owner_unit_path"], row["created_by"]) == (rep.user_id, "/r/b1/t1/", manager.user_id)
    [imported] = await published(pool, "customers.bulk_imported")
    assert imported["data"]["lead_package_id"] == str(package)


async def test_an_importer_unknown_to_the_directory_fails_the_command_to_be_retried(pool, tier):
    nobody = Principal(user_id=uuid.uuid4(), username="x", unit_id=None, unit_path="", roles=frozenset({"sales"}))
    with pytest.raises(UnknownImporter):
        await feed(pool, command(nobody, [["An", "0912000070", None, None, None, None]]))
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 0  # not recorded: the redelivery applies it


async def test_a_full_chunk_is_published_in_pieces_under_the_record_limit(pool, tier):
    rep = await user(pool, "/r/b1/t1/")
    rows = [[f"Khách hàng số {i}", f"09{i:08d}", f"k{i}@x.vn", "Hà Nội", "Hội chợ", "Vàng"] for i in range(5_000)]
    sent = command(rep, rows)
    async with pool.acquire() as conn, conn.transaction():
        result = await apply_import_chunk(conn, command=consumed.ImportChunk.model_validate(sent.data),
                                          batch_id=sent.id)
    assert (result.created, result.updated, result.failures) == (5_000, 0, [])
    envelopes = await published(pool, "customers.bulk_imported")
    assert {e["actor"] for e in envelopes} == {str(rep.user_id)}  # called without a message context: the importer
    pieces = [e["data"] for e in envelopes]
    assert [(p["chunk"], p["last"], len(p["ids"])) for p in pieces] == [
        (1, False, EVENT_CHUNK), (2, False, EVENT_CHUNK), (3, True, 5_000 - 2 * EVENT_CHUNK)]
    assert all(len(orjson.dumps(p)) < 1_000_000 for p in pieces)
    assert [r for p in pieces for r in p["rows"]] == list(range(2, 5_002))


async def test_a_chunk_sent_twice_through_kafka_creates_its_customers_once(pool, tier):
    rep = await user(pool, "/r/b1/")
    bootstrap, topic = kafka_bootstrap(), unique_topic("crm.customers.commands")
    await create_topics(bootstrap, topic)
    sent = command(rep, [[f"Khách {i}", f"09120008{i:02d}", None, None, None, None] for i in range(20)])
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for _ in range(2):  # the import service re-sent it after a crash
            await producer.send_and_wait(topic, value=sent.to_bytes(), key=sent.subject.encode(),
                                         headers=sent.kafka_headers())
    finally:
        await producer.stop()
    consumer = EventConsumer(name=f"crm-customers.import-{topic}", pool=pool, bootstrap=bootstrap,
                             topics=[topic], handlers=SPEC.handlers)
    task = asyncio.create_task(consumer.run())
    try:
        def handled(outcome: str) -> float:
            return REGISTRY.get_sample_value("crm_events_handled_total", {
                "service": consumer.name, "type": "customers.import_chunk", "outcome": outcome}) or 0.0

        await eventually(lambda: handled("ok") == 1 and handled("duplicate") == 1, timeout=60,
                         message="applied once, then skipped as a duplicate")
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await delete_topics(bootstrap, topic)
    assert await pool.fetchval("SELECT count(*) FROM customers") == 20
    assert len(await published(pool, "customers.bulk_imported")) == 1
    assert (await answer(pool))["created"] == 20


async def test_a_phone_taken_meanwhile_fails_the_chunk_whole_and_the_retry_updates_it(pool, tier):
    """A concurrent writer creates one of the chunk's new phones while the chunk is being applied:
    the INSERT fails on the unique phone, nothing of the chunk is kept (not even its inbox row),
    and the consumer's retry finds the customer and updates it."""
    rep = await user(pool, "/r/b1/")
    sent = command(rep, [["An", "0912000990", "an@x.vn", None, None, None], ["Bình", "0912000991", None, None, None, None]])
    async with pool.acquire() as other, other.transaction():
        await other.execute(
            "INSERT INTO customers (id, name, phone, status, owner_id, owner_unit_path)"
            " VALUES (gen_random_uuid(), 'Đến trước', '+84912000990', 'new', $1, '/r/b1/')", rep.user_id)
        applying = asyncio.create_task(feed(pool, sent))  # waits on the uncommitted phone
        await asyncio.sleep(0.5)
    with pytest.raises(asyncpg.UniqueViolationError):
        await applying
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 0
    assert await pool.fetchval("SELECT count(*) FROM customers") == 1
    assert await feed(pool, sent) is True  # the consumer's retry
    assert (await answer(pool))["created"] == 1 and (await answer(pool))["updated"] == 1
    assert (await by_phone(pool, "+84912000990"))["email"] == "an@x.vn"


async def test_a_new_group_is_created_once_for_the_job_and_every_chunk_joins_it(pool, tier):
    rep = await user(pool, "/r/b1/")
    job = uuid.uuid4()
    new_group = {"name": "Hội chợ tháng 9", "description": None}
    dry = command(rep, [["An", "0912000801", None, None, None, None]], job_id=job, new_group=new_group, dry_run=True)
    assert await feed(pool, dry) is True
    assert await pool.fetchval("SELECT count(*) FROM customer_groups") == 0  # a dry run creates nothing

    job = uuid.uuid4()
    for chunk_no in range(2):
        sent = command(rep, [["An", f"09120008{chunk_no}2", None, None, None, None]], job_id=job, chunk_no=chunk_no,
                       new_group=new_group)
        assert await feed(pool, sent) is True
    group = await pool.fetchrow("SELECT * FROM customer_groups")
    assert (group["id"], group["name"], group["description"], group["created_by"]) == (
        uuid.uuid5(job, "group"), "Hội chợ tháng 9", "Hội chợ tháng 9", rep.user_id)
    assert await pool.fetchval("SELECT count(*) FROM customers WHERE groups = ARRAY[$1::uuid]", group["id"]) == 2
    [created] = await published(pool, "customer_config.changed")
    assert (created["data"]["kind"], created["data"]["action"], created["data"]["item"]["id"]) == (
        "group", "created", str(group["id"]))

    # another job asking for a group of the same name joins that group
    other = command(rep, [["Bình", "0912000899", None, None, None, None]], new_group={"name": "hội chợ THÁNG 9"})
    assert await feed(pool, other) is True
    assert (await by_phone(pool, "+84912000899"))["groups"] == [group["id"]]
    assert await pool.fetchval("SELECT count(*) FROM customer_groups") == 1


def meeting(parties: int, then, *, timeout: float = 10.0):
    """`then` (an async store function), called once `parties` callers have reached it (or after
    `timeout`): chunks applied side by side are made to meet at that step of their transactions."""
    arrived, everyone = [0], asyncio.Event()

    async def call(*args, **kwargs):
        arrived[0] += 1
        if arrived[0] >= parties:
            everyone.set()
        async with asyncio.timeout(timeout):
            await everyone.wait()
        return await then(*args, **kwargs)
    return call


async def test_chunks_of_one_job_applied_side_by_side_create_its_group_once_and_every_row_once(
        pool, tier, monkeypatch):
    """The customers service applies a job's chunks concurrently (`consumers.IMPORT_MEMBERS`): three
    chunks meet at the creation of the job's new group; one creates it (one event), the others wait
    for its commit and join it; every row is written once."""
    from crm_customers.store import imports as store
    rep = await user(pool, "/r/b1/")
    mine = await create_customer(pool, principal=rep, name="Cũ", phone="0912001000", source="web")
    monkeypatch.setattr(store, "create_group_once", meeting(3, store.create_group_once))
    job, new_group = uuid.uuid4(), {"name": "Hội chợ song song", "description": None}
    chunks = [command(rep, [[f"Khách {n}-{i}", f"091200{n}{i:03d}", None, None, None, None] for i in range(1, 40)]
                      + ([[None, "0912001000", None, None, "Hội chợ", None]] if n == 2 else []),
                      job_id=job, chunk_no=n, first_row=2 + 40 * n, new_group=new_group) for n in range(1, 4)]
    assert await asyncio.gather(*(feed(pool, sent) for sent in chunks)) == [True, True, True]

    [group] = await pool.fetch("SELECT * FROM customer_groups")
    assert group["id"] == uuid.uuid5(job, "group")
    assert len(await published(pool, "customer_config.changed")) == 1
    assert await pool.fetchval("SELECT count(*) FROM customers") == 1 + 3 * 39
    assert await pool.fetchval("SELECT count(*) FROM customers WHERE groups = ARRAY[$1::uuid]", group["id"]) == 118
    answers = sorted((a["data"]["chunk_no"], a["data"]["created"], a["data"]["updated"])
                     for a in await published(pool, "customers.import_chunk_applied"))
    assert answers == [(1, 39, 0), (2, 39, 1), (3, 39, 0)]
    updated = await by_phone(pool, "+84912001000")
    assert (updated["source"], updated["version"]) == ("Hội chợ", mine["version"] + 1)


async def test_two_chunks_updating_one_customer_side_by_side_lose_no_update(pool, tier, monkeypatch):
    """Two chunks that hold one existing customer's number in two writings (its pre-2018 prefix and
    its new one): the second waits for the first's row lock and updates after it."""
    from crm_customers.store import imports as store
    rep = await user(pool, "/r/b1/")
    mine = await create_customer(pool, principal=rep, name="Cũ", phone="0329001001")
    monkeypatch.setattr(store, "holders_of_phones", meeting(2, store.holders_of_phones))
    job = uuid.uuid4()
    first = command(rep, [[None, "01629001001", "cu@x.vn", None, None, None]], job_id=job, chunk_no=1)
    second = command(rep, [[None, "0329 001 001", None, None, "Hội chợ", None]], job_id=job, chunk_no=2)
    assert await asyncio.gather(feed(pool, first), feed(pool, second)) == [True, True]
    updated = await by_phone(pool, "+84329001001")
    assert (updated["email"], updated["source"], updated["version"]) == ("cu@x.vn", "Hội chợ", mine["version"] + 2)
    assert [a["data"]["updated"] for a in await published(pool, "customers.import_chunk_applied")] == [1, 1]


async def test_two_chunks_creating_each_others_phones_side_by_side_never_deadlock(pool, tier, monkeypatch):
    """Two chunks that would both create the same two numbers (written in other digits: the legacy
    prefix), in crossed row order: the inserts take the phones in one order, so the second waits
    for the first and fails on the unique phone (not a deadlock); its retry updates both."""
    from crm_customers.store import imports as store
    rep = await user(pool, "/r/b1/")
    monkeypatch.setattr(store, "write_chunk", meeting(2, store.write_chunk))
    job = uuid.uuid4()
    first = command(rep, [["An", "0329001101", None, None, None, None], ["Bình", "01639001102", None, None, None, None]],
                    job_id=job, chunk_no=1)
    second = command(rep, [["Bình", "0339001102", "b@x.vn", None, None, None],
                           ["An", "01629001101", "a@x.vn", None, None, None]], job_id=job, chunk_no=2)
    outcomes = await asyncio.gather(feed(pool, first), feed(pool, second), return_exceptions=True)
    assert outcomes.count(True) == 1, outcomes
    [(failed, error)] = [(sent, outcome) for sent, outcome in zip([first, second], outcomes, strict=True)
                         if outcome is not True]
    assert isinstance(error, asyncpg.UniqueViolationError), repr(error)
    monkeypatch.undo()
    assert await feed(pool, failed) is True  # the consumer's retry
    rows = await pool.fetch("SELECT phone, version FROM customers ORDER BY phone")
    assert [(r["phone"], r["version"]) for r in rows] == [("+84329001101", 2), ("+84339001102", 2)]
    assert sorted((a["data"]["created"], a["data"]["updated"])
                  for a in await published(pool, "customers.import_chunk_applied")) == [(0, 2), (2, 0)]


async def test_a_new_group_without_a_name_fails_every_row(pool, tier):
    rep = await user(pool, "/r/b1/")
    assert await feed(pool, command(rep, [["An", "0912000811", None, None, None, None]],
                                    new_group={"name": "  "})) is True
    assert (await answer(pool))["failures"] == [{"row": 2, "field": "new_group.name", "code": "required"}]
