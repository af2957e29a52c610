"""The tickets' HTTP layer over real PostgreSQL: ETag / If-Match, Idempotency-Key, limits,
problem codes in both languages, and the events in the AsyncAPI document."""
from __future__ import annotations

import uuid

from interactions_support import auth, visible_customer


async def test_care_ticket_over_http(app, api):
    rep = uuid.uuid4()
    me = auth(rep)
    customer_id = await visible_customer(app, rep)
    body = {"customer_id": customer_id, "method": "zalo", "planned_at": "2026-11-23T09:00:00", "note": "Nhắn Zalo"}
    created = await api.post("/api/v1/care-tickets", headers={**me, "Idempotency-Key": "k1"}, json=body)
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert created.headers["etag"] == '"1"' and ticket["planned_at"] == "2026-11-23T02:00:00Z"
    again = await api.post("/api/v1/care-tickets", headers={**me, "Idempotency-Key": "k1"}, json=body)
    assert again.status_code == 201 and again.json()["id"] == ticket["id"]
    assert (await api.get("/api/v1/care-tickets", headers=me)).json()["items"] == [ticket]

    url = f"/api/v1/care-tickets/{ticket['id']}"
    assert (await api.patch(url, headers=me, json={"note": "x"})).json()["code"] == "precondition_required"
    patched = await api.patch(url, headers={**me, "If-Match": '"1"'}, json={"method": "call"})
    assert patched.status_code == 200 and patched.headers["etag"] == '"2"'
    stale = await api.patch(url, headers={**me, "If-Match": '"1"'}, json={"method": "sms"})
    assert stale.status_code == 412 and stale.json()["code"] == "version_conflict"
    done = await api.post(f"{url}/complete", headers=me, json={"result": "Khách đồng ý"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    refused = await api.post(f"{url}/cancel", headers={**me, "Accept-Language": "en"}, json={})
    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_transition" and refused.json()["from"] == "done"
    assert refused.json()["detail"] == "The ticket cannot go from done to cancelled."
    assert (await api.get(url, headers=auth(uuid.uuid4()))).status_code == 404
    assert (await api.delete(url, headers=me)).status_code == 204
    assert (await api.get(url, headers=me)).status_code == 404


async def test_limits_and_validation(app, api):
    rep = uuid.uuid4()
    me = auth(rep)
    customer_id = await visible_customer(app, rep)
    r = await api.post("/api/v1/care-tickets", headers=me, json={
        "customer_id": customer_id, "method": "fax", "planned_at": "2026-11-23T09:00:00+07:00", "note": "x" * 4001})
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} == {"method", "note"}
    r = await api.post("/api/v1/support-tickets", headers=me, json={"customer_id": customer_id, "title": "  "})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "title"
    r = await api.post("/api/v1/support-tickets", headers=me, json={"customer_id": customer_id, "title": "t" * 301})
    assert r.status_code == 422
    r = await api.post("/api/v1/support-tickets", headers=me, json={"customer_id": customer_id, "title": None})
    assert r.status_code == 422 and r.json()["errors"][0] == {**r.json()["errors"][0], "field": "title",
                                                                "code": "required"}
    appointment = {"title": "Gặp", "type": "meeting", "starts_at": "2026-11-23T09:00:00"}
    r = await api.post("/api/v1/appointments", headers=me, json={**appointment, "title": "t" * 301})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "title"
    assert (await api.get("/api/v1/support-tickets?limit=201", headers=me)).status_code == 422
    assert (await api.get("/api/v1/care-tickets?scope=everything", headers=me)).status_code == 422
    assert (await api.get(f"/api/v1/support-tickets?q={'a' * 201}", headers=me)).status_code == 422
    r = await api.post("/api/v1/support-tickets", headers=me, json={"customer_id": str(uuid.uuid4()), "title": "x"})
    assert r.status_code == 404


async def test_support_ticket_over_http_and_asyncapi(app, api):
    rep = uuid.uuid4()
    me = auth(rep)
    customer_id = await visible_customer(app, rep)
    created = await api.post("/api/v1/support-tickets", headers=me, json={
        "customer_id": customer_id, "title": "Máy không lên nguồn", "channel": "Hotline",
        "contact_name": "Chị Lan", "contact_details": "0912345678"})
    assert created.status_code == 201, created.text
    url = f"/api/v1/support-tickets/{created.json()['id']}"
    for status in ("processing", "done"):
        r = await api.post(f"{url}/status", headers=me, json={"status": status})
        assert r.status_code == 200 and r.json()["status"] == status
    r = await api.post(f"{url}/status", headers=me, json={"status": "processing"})
    assert r.status_code == 409 and (r.json()["from"], r.json()["to"]) == ("done", "processing")
    assert "Không thể chuyển phiếu" in r.json()["detail"]
    listed = await api.get("/api/v1/support-tickets?scope=mine&status=done&q=nguon", headers=me)
    assert [t["id"] for t in listed.json()["items"]] == [created.json()["id"]]
    document = (await api.get("/asyncapi.json")).text
    for name in ("care_ticket.completed", "support_ticket.status_changed", "support_ticket.deleted"):
        assert name in document
