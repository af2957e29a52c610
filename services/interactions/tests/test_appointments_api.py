"""Appointments and the calendar feed over HTTP with real PostgreSQL: ETag / If-Match,
Idempotency-Key, 409 on a bad transition, and the public `calendar.ics` answered by its token
alone (no Authorization), 404 once revoked or rotated."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from interactions_support import auth, visible_customer

from crmkit.testing import idempotent_routes_on_the_plain_pool


async def test_appointment_over_http(app, api):
    rep = uuid.uuid4()
    me = auth(rep)
    customer_id = await visible_customer(app, rep)
    body = {"title": "Gặp khách ký hợp đồng", "type": "meeting", "customer_id": customer_id,
            "starts_at": "2026-11-24T09:00:00", "ends_at": "2026-11-24T10:00:00", "location": "Quận 1"}
    created = await api.post("/api/v1/appointments", headers={**me, "Idempotency-Key": "a1"}, json=body)
    assert created.status_code == 201, created.text
    appointment = created.json()
    assert created.headers["etag"] == '"1"' and appointment["starts_at"] == "2026-11-24T02:00:00Z"
    assert created.headers["location"] == f"/api/v1/appointments/{appointment['id']}"
    again = await api.post("/api/v1/appointments", headers={**me, "Idempotency-Key": "a1"}, json=body)
    assert again.status_code == 201 and again.json()["id"] == appointment["id"]
    assert (await api.get("/api/v1/appointments?status=planned&type=meeting", headers=me)).json()["items"] == [appointment]
    assert (await api.get("/api/v1/appointments?type=call", headers=me)).json()["items"] == []
    bad = await api.post("/api/v1/appointments", headers=me, json={**body, "type": "party"})
    assert bad.status_code == 422
    hidden = await api.post("/api/v1/appointments", headers=auth(uuid.uuid4()), json=body)
    assert hidden.status_code == 404

    url = f"/api/v1/appointments/{appointment['id']}"
    assert (await api.patch(url, headers=me, json={"note": "x"})).json()["code"] == "precondition_required"
    patched = await api.patch(url, headers={**me, "If-Match": '"1"'}, json={"note": "Mang hợp đồng"})
    assert patched.status_code == 200 and patched.headers["etag"] == '"2"'
    stale = await api.patch(url, headers={**me, "If-Match": '"1"'}, json={"note": "y"})
    assert stale.status_code == 412 and stale.json()["code"] == "version_conflict"
    done = await api.post(f"{url}/status", headers=me, json={"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    refused = await api.post(f"{url}/status", headers={**me, "Accept-Language": "en"}, json={"status": "cancelled"})
    assert refused.status_code == 409
    assert (refused.json()["code"], refused.json()["from"], refused.json()["to"]) == ("invalid_transition", "done", "cancelled")
    assert (await api.post(f"{url}/status", headers=me, json={"status": "planned"})).status_code == 422
    assert (await api.get(url, headers=auth(uuid.uuid4()))).status_code == 404
    assert (await api.delete(url, headers=me)).status_code == 204
    assert (await api.get(url, headers=me)).status_code == 404

    document = (await api.get("/asyncapi.json")).text
    for name in ("appointment.created", "appointment.updated", "appointment.status_changed", "appointment.deleted"):
        assert name in document
    paths = (await api.get("/openapi.json")).json()["paths"]
    assert {"/api/v1/appointments/{appointment_id}/status", "/api/v1/me/calendar.ics"} <= set(paths)


async def test_calendar_feed_over_http(app, api):
    rep = uuid.uuid4()
    me = auth(rep)
    customer_id = await visible_customer(app, rep)
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    created = await api.post("/api/v1/appointments", headers=me, json={
        "title": "Nhắc khách thanh toán, đợt 2", "type": "payment_due", "starts_at": soon.isoformat()})
    assert created.status_code == 201, created.text
    care = await api.post("/api/v1/care-tickets", headers=me, json={
        "customer_id": customer_id, "method": "call", "planned_at": (soon + timedelta(days=1)).isoformat()})
    assert care.status_code == 201, care.text

    assert (await api.get("/api/v1/me/calendar.ics")).status_code == 404
    assert (await api.post("/api/v1/me/calendar-feed")).status_code == 401
    feed = await api.post("/api/v1/me/calendar-feed", headers=me)
    assert feed.status_code == 201, feed.text
    url = feed.json()["url"]
    assert url.startswith("/api/v1/me/calendar.ics?token=")

    response = await api.get(url)  # no Authorization
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"] == "private, max-age=300"
    events = {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    appointment_event = events[f"appointment-{created.json()['id']}@crm-interactions"]
    assert "Nhắc khách thanh toán, đợt 2" in str(appointment_event["SUMMARY"])
    assert appointment_event.decoded("DTSTART") == soon
    assert f"care-ticket-{care.json()['id']}@crm-interactions" in events

    rotated = (await api.post("/api/v1/me/calendar-feed", headers=me)).json()["url"]
    assert rotated != url
    assert (await api.get(url)).status_code == 404
    assert (await api.get(rotated)).status_code == 200
    assert (await api.delete("/api/v1/me/calendar-feed", headers=me)).status_code == 204
    revoked = await api.get(rotated)
    assert revoked.status_code == 404 and revoked.json()["code"] == "not_found"
    assert (await api.get("/api/v1/me/calendar.ics?token=" + "x" * 300)).status_code == 404


async def test_no_idempotent_route_also_takes_the_plain_pool(app):
    """The key, the effect and the answer commit together only on `once.pool` (crmkit.idempotency)."""
    assert idempotent_routes_on_the_plain_pool(app) == []
