"""Appointments and the private calendar feed through the gateway (I-8): a rep plans an
appointment, creates their feed URL, and a calendar app fetches it WITHOUT Authorization (the
token is the credential); the feed parses as RFC 5545 and holds the appointment; once revoked
the URL answers 404. A customer's appointment shows on its timeline and follows its visibility."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from e2e_support import eventually, random_mobile


async def test_calendar_feed_holds_the_appointment_and_revocation_404s(client, org):
    rep, outsider = org["rep"], org["outsider"]
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    created = await client.post("/api/v1/appointments", headers={**rep["headers"], "Idempotency-Key": str(uuid.uuid4())},
                                json={"title": "Hẹn gặp anh Nam, ký hợp đồng", "type": "meeting",
                                      "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=1)).isoformat(),
                                      "location": "Quận 1, TP.HCM"})
    assert created.status_code == 201, created.text
    appointment = created.json()
    assert appointment["assignee_id"] == rep["id"] and appointment["status"] == "planned"
    url = f"/api/v1/appointments/{appointment['id']}"
    assert (await client.get(url, headers=outsider["headers"])).status_code == 404
    mine = await client.get(f"/api/v1/appointments?assignee_id={rep['id']}&type=meeting", headers=rep["headers"])
    assert appointment["id"] in [a["id"] for a in mine.json()["items"]]

    feed = await client.post("/api/v1/me/calendar-feed", headers=rep["headers"])
    assert feed.status_code == 201, feed.text
    feed_url = feed.json()["url"]
    assert feed_url.startswith("/api/v1/me/calendar.ics?token=")

    response = await client.get(feed_url)  # a calendar app: no Authorization header
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    events = {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    event = events[f"appointment-{appointment['id']}@crm-interactions"]
    assert "Hẹn gặp anh Nam, ký hợp đồng" in str(event["SUMMARY"])
    assert event.decoded("DTSTART") == starts and event.decoded("DTEND") == starts + timedelta(hours=1)
    assert str(event["LOCATION"]) == "Quận 1, TP.HCM"

    cancelled = await client.post(f"{url}/status", headers=rep["headers"], json={"status": "cancelled"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    refused = await client.post(f"{url}/status", headers=rep["headers"], json={"status": "done"})
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_transition"

    assert (await client.delete("/api/v1/me/calendar-feed", headers=rep["headers"])).status_code == 204
    assert (await client.get(feed_url)).status_code == 404
    assert (await client.get("/api/v1/me/calendar.ics?token=not-a-token")).status_code == 404


async def test_customer_appointment_shows_on_the_timeline_and_respects_visibility(client, org):
    rep, outsider, manager = org["rep"], org["outsider"], org["manager"]
    r = await client.post("/api/v1/customers", headers=rep["headers"],
                          json={"name": "Lê Văn Hẹn", "phone": random_mobile()})
    assert r.status_code == 201, r.text
    customer = r.json()
    body = {"title": "Nhắc thanh toán đợt 2", "type": "payment_due", "customer_id": customer["id"], "all_day": True,
            "starts_at": (datetime.now(UTC) + timedelta(days=5)).date().isoformat() + "T00:00:00"}

    async def created():  # interactions learns of the customer from the customers service's events
        attempt = await client.post("/api/v1/appointments", headers=rep["headers"], json=body)
        assert attempt.status_code in (201, 404), attempt.text
        return attempt.json() if attempt.status_code == 201 else None

    appointment = await eventually(created, timeout=30)
    assert (await client.post("/api/v1/appointments", headers=outsider["headers"], json=body)).status_code == 404
    url = f"/api/v1/appointments/{appointment['id']}"
    assert (await client.get(url, headers=manager["headers"])).status_code == 200
    assert (await client.get(url, headers=outsider["headers"])).status_code == 404

    timeline = await client.get(f"/api/v1/customers/{customer['id']}/timeline?type=appointment", headers=rep["headers"])
    assert timeline.status_code == 200, timeline.text
    assert [(e["note"], e["data"]["appointment_id"]) for e in timeline.json()["items"]] == [
        ("Nhắc thanh toán đợt 2", appointment["id"])]
