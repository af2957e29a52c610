"""Appointments (I-8) and the calendar feed against real PostgreSQL: transitions, visibility
(assignee, creator, manager above the assignee's unit, admin, and the customer's visibility),
timeline entry and events, feed token rotate/revoke and its RFC 5545 content."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from interactions_support import code_of, customer_of, outbox, principal, user_in_directory

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict

from crm_interactions.handlers import appointments as appts
from crm_interactions.handlers import calendar_feed as feeds
from crm_interactions.handlers import care_tickets, erasure
from crm_interactions.handlers.timeline import read_timeline
from crm_interactions.storage import LocalStorage

TEAM, OTHER = "/root/branch/team/", "/root/other/"


async def new_care(pool, who: Principal, customer_id: uuid.UUID, **kwargs):
    return await care_tickets.create(pool, principal=who, customer_id=customer_id, method="call", **kwargs)


async def new_appointment(pool, who, **kwargs):
    return await appts.create(pool, principal=who, title=kwargs.pop("title", "Gặp khách"),
                              type=kwargs.pop("type", "meeting"),
                              starts_at=kwargs.pop("starts_at", datetime.now(UTC) + timedelta(days=1)), **kwargs)


def token_of(url: str) -> str:
    return url.split("token=", 1)[1]


async def test_transitions_events_and_timeline_entry(pool):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    created = await new_appointment(pool, rep, customer_id=customer_id, note="Mang hợp đồng")
    assert created["status"] == "planned" and created["assignee_id"] == rep.user_id and created["version"] == 1
    entries, _ = await read_timeline(pool, principal=rep, customer_id=customer_id, limit=10, cursor=None,
                                     types=["appointment"])
    assert [(e["note"], e["data"]["appointment_id"]) for e in entries] == [("Gặp khách", str(created["id"]))]
    assert (await outbox(pool, "appointment.created"))[0]["id"] == str(created["id"])

    done = await appts.change_status(pool, principal=rep, appointment_id=created["id"], status="done")
    assert done["status"] == "done" and done["completed_at"] is not None and done["version"] == 2
    for target in ("cancelled", "done", "planned"):
        with pytest.raises(Conflict) as caught:
            await appts.change_status(pool, principal=rep, appointment_id=created["id"], status=target)
        assert (caught.value.code, caught.value.details) == (
            "invalid_transition", {"from": "done", "to": target})
    changes = await outbox(pool, "appointment.status_changed")
    assert [(c["from"], c["to"], c["status"]) for c in changes] == [("planned", "done", "done")]

    other = await new_appointment(pool, rep, type="task")
    cancelled = await appts.change_status(pool, principal=rep, appointment_id=other["id"], status="cancelled")
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_at"] is not None
    assert await code_of(appts.change_status(pool, principal=rep, appointment_id=other["id"], status="done")) == (
        409, "invalid_transition")


async def test_update_validation_and_delete(pool):
    rep = principal(TEAM)
    colleague = await user_in_directory(pool, TEAM)
    gone = await user_in_directory(pool, TEAM, active=False)
    start = datetime.now(UTC) + timedelta(days=2)
    assert await code_of(new_appointment(pool, rep, assignee_id=gone)) == (422, "validation_error")
    assert await code_of(new_appointment(pool, rep, assignee_id=uuid.uuid4())) == (422, "validation_error")
    assert await code_of(new_appointment(pool, rep, starts_at=start, ends_at=start - timedelta(hours=1))) == (
        422, "validation_error")
    assert await code_of(new_appointment(pool, rep, title="   ")) == (422, "validation_error")
    created = await new_appointment(pool, rep, starts_at=start, assignee_id=colleague)
    assert created["assignee_id"] == colleague

    assert await code_of(appts.update(pool, principal=rep, appointment_id=created["id"], expected_version=7,
                                      changes={"title": "x"})) == (412, "version_conflict")
    assert await code_of(appts.update(pool, principal=rep, appointment_id=created["id"], expected_version=1,
                                      changes={"title": None})) == (422, "validation_error")
    updated = await appts.update(pool, principal=rep, appointment_id=created["id"], expected_version=1,
                                 changes={"title": "Gọi nhắc thanh toán", "type": "payment_due",
                                          "ends_at": start + timedelta(hours=1), "location": "Văn phòng"})
    assert (updated["title"], updated["type"], updated["version"]) == ("Gọi nhắc thanh toán", "payment_due", 2)
    assert (await outbox(pool, "appointment.updated"))[0]["changed"] == ["title", "type", "ends_at", "location"]
    same = await appts.update(pool, principal=rep, appointment_id=created["id"], expected_version=2,
                              changes={"title": "Gọi nhắc thanh toán"})
    assert same["version"] == 2

    await appts.delete(pool, principal=rep, appointment_id=created["id"])
    assert await code_of(appts.get(pool, principal=rep, appointment_id=created["id"])) == (404, "not_found")
    assert [e["id"] for e in await outbox(pool, "appointment.deleted")] == [str(created["id"])]


async def test_visibility_and_filters(pool):
    team_rep_id = await user_in_directory(pool, TEAM)
    rep = principal(TEAM, user_id=team_rep_id)
    creator = principal(OTHER, user_id=await user_in_directory(pool, OTHER))
    manager = principal("/root/branch/", "manager")
    other_manager = principal("/root/other/", "manager")
    admin = principal("/root/", "admin")
    stranger = principal(TEAM)

    by_other = await new_appointment(pool, creator, assignee_id=team_rep_id, type="call")
    own = await new_appointment(pool, rep, type="meeting", starts_at=datetime.now(UTC) + timedelta(days=3))
    for who in (rep, creator, manager, admin):
        assert (await appts.get(pool, principal=who, appointment_id=by_other["id"]))["id"] == by_other["id"]
    for who in (stranger, other_manager):
        assert await code_of(appts.get(pool, principal=who, appointment_id=by_other["id"])) == (404, "not_found")
        assert await code_of(appts.change_status(pool, principal=who, appointment_id=by_other["id"],
                                                 status="done")) == (404, "not_found")
    assert await code_of(appts.get(pool, principal=creator, appointment_id=own["id"])) == (404, "not_found")

    # Linked to a customer: the caller must also see the customer.
    customer_id = await customer_of(pool, rep)
    assert await code_of(new_appointment(pool, stranger, customer_id=customer_id)) == (404, "not_found")
    linked = await new_appointment(pool, rep, customer_id=customer_id, assignee_id=None)
    # The creator of `by_other` (another branch) may not see the rep's customer, yet sees an
    # appointment with it assigned to them; another unit's manager does not.
    linked_by_rep_for_creator = await new_appointment(pool, admin, customer_id=customer_id,
                                                      assignee_id=creator.user_id)
    assert (await appts.get(pool, principal=creator, appointment_id=linked_by_rep_for_creator["id"]))["id"] == (
        linked_by_rep_for_creator["id"])
    assert await code_of(appts.get(pool, principal=other_manager, appointment_id=linked_by_rep_for_creator["id"])) == (
        404, "not_found")
    assert (await appts.get(pool, principal=manager, appointment_id=linked["id"]))["id"] == linked["id"]

    rows, _ = await appts.list_appointments(pool, principal=rep)
    assert {r["id"] for r in rows} == {by_other["id"], own["id"], linked["id"]}
    rows, _ = await appts.list_appointments(pool, principal=rep, type="call")
    assert [r["id"] for r in rows] == [by_other["id"]]
    rows, _ = await appts.list_appointments(pool, principal=admin, assignee_id=team_rep_id, status="planned")
    assert {r["id"] for r in rows} == {by_other["id"], own["id"], linked["id"]}
    rows, _ = await appts.list_appointments(pool, principal=rep, from_=datetime.now(UTC) + timedelta(days=2))
    assert [r["id"] for r in rows] == [own["id"]]
    rows, _ = await appts.list_appointments(pool, principal=stranger)
    assert rows == []

    first, cursor = await appts.list_appointments(pool, principal=rep, limit=2)
    rest, end = await appts.list_appointments(pool, principal=rep, limit=2, cursor=cursor)
    assert len(first) == 2 and len(rest) == 1 and end is None
    assert [r["starts_at"] for r in first + rest] == sorted(r["starts_at"] for r in first + rest)


async def test_feed_rotate_revoke_and_content(pool):
    rep = principal(TEAM)
    customer_id = await customer_of(pool, rep)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    now = start + timedelta(days=1)
    meeting = await new_appointment(pool, rep, title="Gặp anh Nam, ký HĐ; mang mẫu", customer_id=customer_id,
                                    starts_at=start + timedelta(days=2, hours=2), ends_at=start + timedelta(days=2, hours=3),
                                    note="Dòng 1\nDòng 2, có dấu phẩy")
    due = await new_appointment(pool, rep, title="Hạn thanh toán đợt 2", type="payment_due", all_day=True,
                                starts_at=datetime(2026, 1, 10, 9, 0))
    cancelled = await new_appointment(pool, rep, starts_at=start + timedelta(days=4))
    await appts.change_status(pool, principal=rep, appointment_id=cancelled["id"], status="cancelled")
    await new_appointment(pool, rep, starts_at=start - timedelta(days=60))  # outside the window
    care = await new_care(pool, rep, customer_id, planned_at=start + timedelta(days=5), note="Hỏi thăm sau mua")
    done_care = await new_care(pool, rep, customer_id, planned_at=start + timedelta(days=6))
    await care_tickets.complete(pool, principal=rep, ticket_id=done_care["id"], result="xong")

    first = await feeds.create_feed(pool, principal=rep)
    assert first.startswith("/api/v1/me/calendar.ics?token=")
    body = await feeds.render_feed(pool, token=token_of(first), now=now)
    calendar = Calendar.from_ical(body)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"appointment-{meeting['id']}@crm-interactions", f"appointment-{due['id']}@crm-interactions",
                           f"care-ticket-{care['id']}@crm-interactions"}
    event = events[f"appointment-{meeting['id']}@crm-interactions"]
    assert str(event["SUMMARY"]).endswith("Gặp anh Nam, ký HĐ; mang mẫu")
    assert str(event["DESCRIPTION"]) == "Dòng 1\nDòng 2, có dấu phẩy"
    assert event.decoded("DTSTART") == start + timedelta(days=2, hours=2)
    assert b"DTSTART:20260103T020000Z" in body and b"DTSTAMP:" in body
    assert events[f"appointment-{due['id']}@crm-interactions"].decoded("DTSTART") == date(2026, 1, 10)
    assert b"DTSTART;VALUE=DATE:20260110" in body
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert events[f"care-ticket-{care['id']}@crm-interactions"].decoded("DTSTART") == start + timedelta(days=5)

    rotated = await feeds.create_feed(pool, principal=rep)
    assert rotated != first
    assert await code_of(feeds.render_feed(pool, token=token_of(first), now=now)) == (404, "not_found")
    assert Calendar.from_ical(await feeds.render_feed(pool, token=token_of(rotated), now=now))
    assert await pool.fetchval("SELECT count(*) FROM calendar_feeds WHERE token_hash = $1",
                               token_of(rotated).encode()) == 0  # stored hashed only

    # Someone else's feed holds none of the rep's events.
    other = principal(TEAM, user_id=await user_in_directory(pool, TEAM))
    other_feed = await feeds.create_feed(pool, principal=other)
    assert Calendar.from_ical(await feeds.render_feed(pool, token=token_of(other_feed), now=now)).walk("VEVENT") == []

    # A user deactivated in the directory: their feed stops.
    await pool.execute("UPDATE directory_users SET active = false WHERE id = $1", other.user_id)
    assert await code_of(feeds.render_feed(pool, token=token_of(other_feed), now=now)) == (404, "not_found")

    await feeds.revoke_feed(pool, principal=rep)
    assert await code_of(feeds.render_feed(pool, token=token_of(rotated), now=now)) == (404, "not_found")
    assert await code_of(feeds.render_feed(pool, token=None)) == (404, "not_found")
    assert await code_of(feeds.render_feed(pool, token="x" * 500)) == (404, "not_found")


async def test_a_purge_erases_the_texts_of_the_customers_appointments(pool, tmp_path):
    rep = principal(TEAM, user_id=await user_in_directory(pool, TEAM))
    customer_id = await customer_of(pool, rep)
    await new_appointment(pool, rep, customer_id=customer_id, title="Gặp chị Lan", location="12 Lê Lợi",
                          note="mang hợp đồng")
    async with pool.acquire() as conn:
        await erasure.purge(conn, ids=[customer_id], files=LocalStorage(tmp_path))
    row = await pool.fetchrow("SELECT title, note, location FROM appointments WHERE customer_id = $1", customer_id)
    assert dict(row) == {"title": "", "note": None, "location": None}
