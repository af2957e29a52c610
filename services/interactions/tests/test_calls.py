"""Call result sheets and notes against real PostgreSQL: timeline types, external_id
idempotency, integrator keys with and without `calls.write`, visibility, events, purge."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from interactions_support import code_of, customer_of, outbox, principal

from crmkit.auth import Principal

from crm_interactions.handlers import calls, erasure
from crm_interactions.handlers.timeline import read_timeline
from crm_interactions.storage import LocalStorage
from crm_interactions.store import access as access_store

TEAM, OTHER = "/root/branch/team/", "/root/other/"


def integrator(*permissions: str) -> Principal:
    return Principal(user_id=uuid.uuid4(), username="callcentre", unit_id=None, unit_path="",
                     roles=frozenset({"integrator"}), permissions=frozenset(permissions), kind="service")


async def log(pool, who: Principal, customer_id: uuid.UUID, **kwargs):
    kwargs.setdefault("direction", "out")
    kwargs.setdefault("outcome", "reached")
    kwargs.setdefault("duration_seconds", 60)
    return await calls.log_call(pool, principal=who, customer_id=customer_id, **kwargs)


def test_entry_types():
    assert calls.entry_type("out", "no_answer") == "call_out"
    assert calls.entry_type("in", "no_answer") == "call_missed"
    assert calls.entry_type("in", "reached") == "call_in"
    assert calls.entry_type("in", "busy") == "call_in"


async def test_rep_logs_calls_of_each_type_with_timeline_entries_and_events(pool):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    started = datetime(2026, 11, 20, 9, 30)  # Vietnamese local time
    out, created = await log(pool, rep, customer_id, rating=4, note="Khách hẹn gọi lại", started_at=started,
                             recording_ref="https://pbx.example/rec/1")
    assert created and out["rating"] == 4 and out["occurred_at"] == datetime(2026, 11, 20, 2, 30, tzinfo=UTC)
    await log(pool, rep, customer_id, direction="in", outcome="no_answer", duration_seconds=0)
    await log(pool, rep, customer_id, direction="in", outcome="reached", duration_seconds=120)

    entries, _ = await read_timeline(pool, principal=rep, customer_id=customer_id, limit=10, cursor=None, types=None)
    assert sorted(e["type"] for e in entries) == ["call_in", "call_missed", "call_out"]
    entry = next(e for e in entries if e["type"] == "call_out")
    assert entry["id"] == out["entry_id"] and entry["note"] == "Khách hẹn gọi lại"
    assert entry["data"]["outcome"] == "reached" and entry["data"]["rating"] == 4
    assert entry["data"]["recording_ref"] == "https://pbx.example/rec/1" and entry["actor_id"] == rep.user_id

    logged = await outbox(pool, "call.logged")
    assert len(logged) == 3
    first = next(e for e in logged if e["id"] == str(out["id"]))
    assert first == {"id": str(out["id"]), "customer_id": str(customer_id), "direction": "out",
                     "outcome": "reached", "duration_seconds": 60, "rating": 4,
                     "occurred_at": first["occurred_at"], "actor_id": str(rep.user_id)}
    assert {e["type"] for e in await outbox(pool, "interaction.recorded")} == {"call_in", "call_missed", "call_out"}


async def test_list_filters_and_pages(pool):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    now = datetime.now(UTC)
    for i, (direction, outcome) in enumerate([("out", "busy"), ("out", "reached"), ("in", "reached")]):
        await log(pool, rep, customer_id, direction=direction, outcome=outcome, started_at=now - timedelta(minutes=i))
    page, cursor = await calls.list_calls(pool, principal=rep, customer_id=customer_id, limit=2, cursor=None)
    assert [c["outcome"] for c in page] == ["busy", "reached"] and cursor
    rest, end = await calls.list_calls(pool, principal=rep, customer_id=customer_id, limit=2, cursor=cursor)
    assert [c["direction"] for c in rest] == ["in"] and end is None
    only, _ = await calls.list_calls(pool, principal=rep, customer_id=customer_id, limit=10, cursor=None,
                                     outcome="reached", direction="out")
    assert len(only) == 1


async def test_external_id_makes_a_retry_idempotent_per_source(pool):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    pbx = integrator("calls.write")
    first, created = await log(pool, pbx, customer_id, external_id="PBX-1", direction="in", outcome="reached")
    again, created_again = await log(pool, pbx, customer_id, external_id="PBX-1", direction="in", outcome="reached")
    assert created and not created_again and again["id"] == first["id"]
    other_pbx, created_other = await log(pool, integrator("calls.write"), customer_id, external_id="PBX-1")
    assert created_other and other_pbx["id"] != first["id"]
    assert len(await outbox(pool, "call.logged")) == 2
    elsewhere = await customer_of(pool, rep)
    assert await code_of(log(pool, pbx, elsewhere, external_id="PBX-1")) == (409, "call_already_logged")


async def test_integrator_needs_the_permission_and_a_live_customer(pool):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    assert await code_of(log(pool, integrator(), customer_id)) == (403, "forbidden")
    pbx = integrator("calls.write")
    row, _ = await log(pool, pbx, customer_id)
    assert row["actor_id"] == pbx.user_id
    assert await code_of(log(pool, pbx, uuid.uuid4())) == (404, "not_found")
    async with pool.acquire() as conn:
        await access_store.mark_deleted(conn, ids=[customer_id], versions=[2])
    assert await code_of(log(pool, pbx, customer_id)) == (404, "not_found")


async def test_visibility_like_the_timeline(pool):
    rep, viewer, outsider = principal(TEAM), principal(OTHER), principal(OTHER)
    manager = principal("/root/branch/", "manager")
    customer_id = await customer_of(pool, rep, viewers=(viewer.user_id,))
    for who in (viewer, manager):
        await log(pool, who, customer_id)
    assert await code_of(log(pool, outsider, customer_id)) == (404, "not_found")
    assert await code_of(calls.list_calls(pool, principal=outsider, customer_id=customer_id, limit=5,
                                          cursor=None)) == (404, "not_found")
    assert await code_of(calls.add_note(pool, principal=outsider, customer_id=customer_id,
                                        text="x")) == (404, "not_found")


async def test_note_entry_by_a_viewer(pool):
    rep, viewer = principal(TEAM), principal(OTHER)
    customer_id = await customer_of(pool, rep, viewers=(viewer.user_id,))
    entry = await calls.add_note(pool, principal=viewer, customer_id=customer_id, text="  Đã gửi báo giá  ")
    assert entry["type"] == "note" and entry["note"] == "Đã gửi báo giá" and entry["actor_id"] == viewer.user_id
    assert [e["type"] for e in await outbox(pool, "interaction.recorded")] == ["note"]
    assert await code_of(calls.add_note(pool, principal=rep, customer_id=customer_id, text="  ")) == (
        422, "validation_error")


async def test_purge_erases_the_sheets_personal_data(pool, tmp_path):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    await log(pool, rep, customer_id, note="SĐT phụ 0912345678", recording_ref="rec-1")
    async with pool.acquire() as conn:
        await erasure.purge(conn, ids=[customer_id], files=LocalStorage(tmp_path))
    row = await pool.fetchrow("SELECT note, recording_ref, actor_id FROM calls WHERE customer_id = $1", customer_id)
    assert tuple(row) == (None, None, None)
