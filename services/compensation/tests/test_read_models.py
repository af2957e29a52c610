"""What the compensation service keeps from other services' events, fed through the consumer's
inbox against real PostgreSQL: call attempts counted once (a redelivered event, or the same call
in another message), manual call entries counted, sheets' timeline lines not twice; a purge erases
names and phones in the refs and in every request (C-10); an import naming a package delivers its
leads once; packages follow their unit or rep when they move. And the consumed models read what
the producers publish (drift between producer and consumer fails here)."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import BaseModel

from crmkit import directory
from crmkit.auth import Principal
from crmkit.consumer import EventConsumer
from crmkit.domain_errors import DomainError
from crmkit.events import Envelope
from crmkit.testing import temp_pool

from crm_compensation.app import MIGRATIONS
from crm_compensation.consumers import CONSUMERS, CUSTOMER_EVENTS, IDENTITY_EVENTS, INTERACTION_EVENTS
from crm_compensation.handlers import leads, packages, requests
from crm_compensation.store import calls as calls_store
from crm_customers import events as customers_events
from crm_gateway import events as gateway_events
from crm_interactions import events as interactions_events

NOW = datetime.now(UTC)
ROOT, BRANCH, TEAM, OTHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
PATHS = {BRANCH: f"/{ROOT}/{BRANCH}/", TEAM: f"/{ROOT}/{BRANCH}/{TEAM}/", OTHER: f"/{ROOT}/{OTHER}/"}


@pytest.fixture
async def pool():
    async with temp_pool(MIGRATIONS) as p:
        yield p


def consumer(pool, name: str) -> EventConsumer:
    spec = next(c for c in CONSUMERS if c.name == name)
    return EventConsumer(name=f"test-{name}", pool=pool, bootstrap="unused:0", topics=spec.topics,
                         handlers=spec.handlers)


async def feed(c: EventConsumer, envelope: Envelope) -> bool:
    return await c.handle(envelope, c.handlers[envelope.type])


def envelope(type_: str, data: dict, *, occurred_at: datetime | None = None, actor: str = "system") -> Envelope:
    return Envelope(type=type_, source="test", subject=str(data.get("id", uuid.uuid4())), data=data,
                    occurred_at=occurred_at or NOW, actor=actor)


async def person(pool, unit: uuid.UUID, *roles: str) -> Principal:
    data = {"id": str(uuid.uuid4()), "username": f"u{uuid.uuid4().hex[:6]}", "unit_id": str(unit),
            "unit_path": PATHS[unit], "roles": list(roles), "active": True}
    async with pool.acquire() as conn:
        await directory.HANDLERS["user.created"](conn, envelope("user.created", data))
    return Principal(user_id=uuid.UUID(data["id"]), username=data["username"], unit_id=unit, unit_path=PATHS[unit],
                     roles=frozenset(roles))


def customer_state(customer_id: uuid.UUID, owner: Principal, *, version: int = 1, name: str = "Lê Văn Cường",
                   phone: str = "0987654321") -> dict:
    return {"id": str(customer_id), "name": name, "phone": phone, "owner_id": str(owner.user_id),
            "owner_unit_path": owner.unit_path, "version": version}


async def package_with_lead(pool, manager: Principal, rep: Principal, customer_id: uuid.UUID, *,
                            min_call_attempts: int = 0) -> uuid.UUID:
    package = await packages.create(pool, principal=manager, name="Gói A", provider="LeadCo", owner_id=rep.user_id,
                                    owner_unit_id=None, purchased_at=NOW, reasons=["wrong_number", "duplicate"],
                                    window_days=30, max_share=Decimal("1"), min_call_attempts=min_call_attempts)
    await leads.add(pool, principal=manager, package_id=package["id"], customer_ids=[customer_id],
                    delivered_at=NOW - timedelta(days=1))
    return package["id"]


# the models read what the producers publish

PRODUCED: dict[str, BaseModel] = {
    "customer.created": customers_events.CustomerCreated(
        id=uuid.uuid4(), name="A", phone="0912345678", party_type="individual", lifecycle="customer", status="new",
        owner_id=uuid.uuid4(), owner_unit_id=uuid.uuid4(), owner_unit_path="/r/", holder_id=None, version=2,
        created_at=NOW, updated_at=NOW),
    "customers.bulk_imported": customers_events.CustomersBulkImported(
        batch_id=uuid.uuid4(), chunk=1, last=True, ids=[uuid.uuid4()], versions=[1], job_id=uuid.uuid4(), rows=[2],
        actions=["created"], owner_ids=[None], owner_unit_ids=[None], owner_unit_paths=["/r/"],
        lead_package_id=uuid.uuid4(), full_names=["A"], phones=["0912345678"]),
    "customers.bulk_owner_changed": customers_events.CustomersBulkOwnerChanged(
        batch_id=uuid.uuid4(), chunk=1, last=True, ids=[uuid.uuid4()], versions=[3], reason="assignment.accepted",
        assignment_id=None, from_owner_ids=[None], to_owner_ids=[uuid.uuid4()], owner_unit_ids=[None],
        owner_unit_paths=["/r/"], from_holder_ids=[None], to_holder_ids=[None]),
    "call.logged": interactions_events.CallLogged(
        id=uuid.uuid4(), customer_id=uuid.uuid4(), direction="out", outcome="wrong_number", duration_seconds=3,
        occurred_at=NOW, actor_id=uuid.uuid4()),
    "interaction.recorded": interactions_events.InteractionRecorded(
        id=uuid.uuid4(), customer_id=uuid.uuid4(), type="call_out", occurred_at=NOW, data={"x": 1}),
    "unit.updated": gateway_events.UnitUpdated(
        id=uuid.uuid4(), name="Team", kind="team", parent_id=None, path="/a/", depth=1, version=2, created_at=NOW,
        updated_at=NOW, changed=["parent_id"]),
    "user.updated": gateway_events.UserUpdated(
        id=uuid.uuid4(), username="u", full_name="U", email=None, phone=None, unit_id=uuid.uuid4(), unit_path="/a/",
        roles=["sales"], active=True, kind="user", version=2, created_at=NOW, updated_at=NOW, changed=["unit_id"]),
}


@pytest.mark.parametrize("type_", sorted(PRODUCED))
def test_the_consumed_model_reads_what_the_producer_publishes(type_):
    sent = PRODUCED[type_]
    assert sent.__event_type__ == type_  # type: ignore[attr-defined]
    model, _ = {**CUSTOMER_EVENTS, **INTERACTION_EVENTS, **IDENTITY_EVENTS}[type_]
    read = model.model_validate(sent.model_dump(mode="json"))
    renamed = {"full_name": "name"} if type_ == "customer.created" else {}
    assert read.model_dump() == {field: getattr(sent, renamed.get(field, field)) for field in model.model_fields}


# calls


async def test_call_attempts_are_counted_once_each_from_sheets_and_manual_entries(pool):
    calls, customer_id = consumer(pool, "interactions"), uuid.uuid4()
    since = NOW - timedelta(days=1)
    sheet_id = uuid.uuid4()
    sheet = envelope("call.logged", {"id": str(sheet_id), "customer_id": str(customer_id), "direction": "out",
                                     "outcome": "wrong_number", "duration_seconds": 5, "occurred_at": NOW.isoformat()})
    assert await feed(calls, sheet) is True
    assert await feed(calls, sheet) is False  # redelivered: the inbox skips it
    again = envelope("call.logged", sheet.data)  # the same call in another message: the primary key holds
    assert await feed(calls, again) is True
    line = {"customer_id": str(customer_id), "occurred_at": NOW.isoformat()}
    await feed(calls, envelope("interaction.recorded", {**line, "id": str(uuid.uuid4()), "type": "call_out",
                                                        "data": {"call_id": str(sheet_id)}}))  # the sheet's line
    await feed(calls, envelope("interaction.recorded", {**line, "id": str(uuid.uuid4()), "type": "call_out"}))
    await feed(calls, envelope("interaction.recorded", {**line, "id": str(uuid.uuid4()), "type": "call_missed"}))
    await feed(calls, envelope("interaction.recorded", {**line, "id": str(uuid.uuid4()), "type": "note"}))
    old = (NOW - timedelta(days=3)).isoformat()
    await feed(calls, envelope("interaction.recorded", {**line, "occurred_at": old, "id": str(uuid.uuid4()),
                                                        "type": "call_in"}))
    async with pool.acquire() as conn:
        summary = await calls_store.summary(conn, customer_id=customer_id, since=since)
    assert summary["call_attempts"] == 3
    assert summary["calls_by_outcome"] == {"wrong_number": 1, "unknown": 2}


async def test_call_events_arriving_make_a_request_possible_and_fill_its_evidence(pool):
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    customers, calls, customer_id = consumer(pool, "customers"), consumer(pool, "interactions"), uuid.uuid4()
    await feed(customers, envelope("customer.created", customer_state(customer_id, rep)))
    package_id = await package_with_lead(pool, manager, rep, customer_id, min_call_attempts=2)
    ask = {"principal": rep, "customer_id": customer_id, "package_id": package_id, "reason_code": "wrong_number",
           "reason_text": None}
    with pytest.raises(DomainError) as refused:
        await requests.create(pool, **ask)
    assert (refused.value.code, refused.value.details) == ("not_enough_call_attempts", {"attempts": 0, "minimum": 2})
    for _ in range(2):
        await feed(calls, envelope("call.logged", {"id": str(uuid.uuid4()), "customer_id": str(customer_id),
                                                   "direction": "out", "outcome": "no_answer",
                                                   "occurred_at": NOW.isoformat()}))
    made = await requests.create(pool, **ask)
    assert made["evidence"]["call_attempts"] == 2 and made["evidence"]["calls_by_outcome"] == {"no_answer": 2}


# C-10


async def test_a_purge_erases_names_and_phones_in_the_refs_and_every_request(pool):
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    customers, customer_id, other_id = consumer(pool, "customers"), uuid.uuid4(), uuid.uuid4()
    await feed(customers, envelope("customer.created", customer_state(customer_id, rep)))
    await feed(customers, envelope("customer.created", customer_state(other_id, rep, name="Phạm Thị Dung",
                                                                        phone="0911111111")))
    package_id = await package_with_lead(pool, manager, rep, customer_id)
    await leads.add(pool, principal=manager, package_id=package_id, customer_ids=[other_id], delivered_at=NOW)
    made = await requests.create(pool, principal=rep, customer_id=customer_id, package_id=package_id,
                                 reason_code="duplicate", reason_text="Lê Văn Cường 0987654321 trùng")
    kept = await requests.create(pool, principal=rep, customer_id=other_id, package_id=package_id,
                                 reason_code="duplicate", reason_text="trùng")
    assert made["evidence"]["customer"] == {"full_name": "Lê Văn Cường", "phone": "0987654321"}
    await feed(customers, envelope("customer.purged", {"customer_id": str(customer_id), "purged_at": NOW.isoformat(),
                                                       "version": 9}))
    ref = await pool.fetchrow("SELECT * FROM customer_refs WHERE customer_id = $1", customer_id)
    assert (ref["full_name"], ref["phone"], ref["purged"], ref["deleted"]) == (None, None, True, True)
    await feed(customers, envelope("customer.updated", customer_state(customer_id, rep, version=10)))  # late: ignored
    assert (await pool.fetchval("SELECT full_name FROM customer_refs WHERE customer_id = $1", customer_id)) is None
    row = await pool.fetchrow("SELECT evidence, reason_text FROM requests WHERE id = $1", made["id"])
    assert row["evidence"]["customer"] == {"full_name": None, "phone": None} and row["reason_text"] is None
    assert row["evidence"]["call_attempts"] == 0  # the rest of the evidence stays
    notes = await pool.fetch("SELECT note FROM request_history WHERE request_id = $1", made["id"])
    assert [n["note"] for n in notes] == [None]
    erased = await pool.fetchval("SELECT count(*) FROM requests WHERE evidence::text LIKE '%0987654321%'"
                                 " OR evidence::text LIKE '%Cường%'")
    assert erased == 0
    untouched = await requests.get(pool, principal=rep, request_id=kept["id"])
    assert untouched["evidence"]["customer"]["phone"] == "0911111111" and untouched["reason_text"] == "trùng"
    await feed(customers, envelope("customers.bulk_purged", {"ids": [str(other_id)]}))
    assert (await requests.get(pool, principal=rep, request_id=kept["id"]))["evidence"]["customer"] == {
        "full_name": None, "phone": None}


# imports


async def test_an_import_naming_a_package_delivers_its_leads_once_with_names_and_phones(pool):
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    customers = consumer(pool, "customers")
    package = await packages.create(pool, principal=manager, name="Gói nhập", provider="LeadCo", owner_id=rep.user_id,
                                    owner_unit_id=None, purchased_at=NOW, reasons=["duplicate"], window_days=30,
                                    max_share=Decimal("0.5"), min_call_attempts=0)
    ids, job_id = [uuid.uuid4(), uuid.uuid4()], uuid.uuid4()
    imported_at = NOW - timedelta(hours=2)
    data = {"batch_id": str(uuid.uuid4()), "chunk": 1, "last": True, "job_id": str(job_id),
            "ids": [str(i) for i in ids], "versions": [1, 1], "rows": [2, 3], "actions": ["created", "created"],
            "owner_ids": [str(rep.user_id)] * 2, "owner_unit_ids": [str(TEAM)] * 2,
            "owner_unit_paths": [PATHS[TEAM]] * 2, "full_names": ["Võ Văn E", "Đỗ Thị G"],
            "phones": ["0900000001", "0900000002"], "lead_package_id": str(package["id"])}
    assert await feed(customers, envelope("customers.bulk_imported", data, occurred_at=imported_at,
                                          actor=str(manager.user_id))) is True
    await feed(customers, envelope("customers.bulk_imported", data, occurred_at=NOW,
                                   actor=str(manager.user_id)))  # the same chunk again
    page, _ = await leads.list_leads(pool, principal=rep, package_id=package["id"], limit=10, cursor=None)
    assert {(lead["full_name"], lead["phone"], lead["delivered_at"]) for lead in page} == {
        ("Đỗ Thị G", "0900000002", imported_at), ("Võ Văn E", "0900000001", imported_at)}
    rows = await pool.fetch("SELECT job_id, added_by FROM package_leads WHERE package_id = $1", package["id"])
    assert {(r["job_id"], r["added_by"]) for r in rows} == {(job_id, manager.user_id)}
    added = [r["payload"]["data"] for r in await pool.fetch(
        "SELECT payload FROM outbox WHERE event_type = 'lead_package.leads_added'")]
    assert len(added) == 1 and added[0]["job_id"] == str(job_id) and len(added[0]["customer_ids"]) == 2
    stranger = await person(pool, OTHER, "manager")  # may not add leads to the rep's package
    foreign = {**data, "ids": [str(uuid.uuid4())], "versions": [1], "rows": [4], "actions": ["created"],
               "owner_ids": [None], "owner_unit_ids": [None], "owner_unit_paths": [PATHS[OTHER]], "full_names": ["Y"],
               "phones": ["0900000004"]}
    assert await feed(customers, envelope("customers.bulk_imported", foreign, actor=str(stranger.user_id))) is True
    assert await pool.fetchval("SELECT count(*) FROM package_leads WHERE package_id = $1", package["id"]) == 2
    unknown = {**data, "ids": [str(uuid.uuid4())], "versions": [1], "rows": [2], "actions": ["created"],
               "owner_ids": [None], "owner_unit_ids": [None], "owner_unit_paths": [None], "full_names": ["X"],
               "phones": ["0900000003"], "lead_package_id": str(uuid.uuid4())}
    assert await feed(customers, envelope("customers.bulk_imported", unknown)) is True  # no such package: refs only
    moved = {"ids": [str(ids[0])], "to_owner_ids": [None], "owner_unit_ids": [None], "owner_unit_paths": [PATHS[TEAM]],
             "to_holder_ids": [None], "versions": [2]}
    await feed(customers, envelope("customers.bulk_owner_changed", moved))  # names nothing: the name stays
    ref = await pool.fetchrow("SELECT owner_id, full_name FROM customer_refs WHERE customer_id = $1", ids[0])
    assert (ref["owner_id"], ref["full_name"]) == (None, "Võ Văn E")


# moves


async def test_packages_follow_their_unit_and_their_rep_when_they_move(pool):
    identity = consumer(pool, "units")
    for unit_id, path in PATHS.items():
        await feed(identity, envelope("unit.created", {"id": str(unit_id), "path": path}))
    admin = await person(pool, BRANCH, "admin")
    rep = await person(pool, TEAM, "sales")
    other_manager = await person(pool, OTHER, "manager")
    unit_owned = await packages.create(pool, principal=admin, name="Gói đơn vị", provider="P", owner_id=None,
                                       owner_unit_id=TEAM, purchased_at=NOW, reasons=["duplicate"], window_days=30,
                                       max_share=Decimal("0.5"), min_call_attempts=0)
    rep_owned = await packages.create(pool, principal=admin, name="Gói sale", provider="P", owner_id=rep.user_id,
                                      owner_unit_id=None, purchased_at=NOW, reasons=["duplicate"], window_days=30,
                                      max_share=Decimal("0.5"), min_call_attempts=0)

    async def seen_by_other_manager() -> set[uuid.UUID]:
        listed, _ = await packages.list_packages(pool, principal=other_manager, provider=None, owner_id=None,
                                                 limit=50, cursor=None)
        return {p["id"] for p in listed}

    assert await seen_by_other_manager() == set()
    moved_path = f"{PATHS[OTHER]}{TEAM}/"  # the team moves under the other branch
    await feed(identity, envelope("unit.updated", {"id": str(TEAM), "path": moved_path}, occurred_at=NOW + timedelta(1)))
    assert await seen_by_other_manager() == {unit_owned["id"], rep_owned["id"]}
    await feed(identity, envelope("unit.updated", {"id": str(TEAM), "path": PATHS[TEAM]}))  # older: ignored
    assert await seen_by_other_manager() == {unit_owned["id"], rep_owned["id"]}
    user = {"id": str(rep.user_id), "username": "r", "unit_id": str(BRANCH), "unit_path": PATHS[BRANCH]}
    await feed(identity, envelope("user.updated", user))  # the rep moves back to the branch: their package follows
    assert await seen_by_other_manager() == {unit_owned["id"]}
