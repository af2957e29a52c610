"""Calls and notes over HTTP against real PostgreSQL: signed rep and integrator tokens,
Idempotency-Key, external_id retries (201 then 200), validation, 403/404, AsyncAPI."""
from __future__ import annotations

import uuid

from interactions_support import PRIVATE, auth, visible_customer

from crmkit.testing import sign_test_token


def service_auth(*perms: str) -> dict:
    token = sign_test_token(PRIVATE, user_id=uuid.uuid4(), roles=("integrator",), unit_path="", kind="service",
                            perms=list(perms))
    return {"Authorization": f"Bearer {token}"}


async def test_rep_logs_a_call_and_a_note(app, api):
    rep = uuid.uuid4()
    me = auth(rep)
    customer_id = await visible_customer(app, rep)
    url = f"/api/v1/customers/{customer_id}/calls"
    body = {"direction": "out", "outcome": "call_back_later", "duration_seconds": 95, "rating": 4,
            "note": "Gọi lại chiều mai", "started_at": "2026-11-23T09:00:00"}
    created = await api.post(url, headers={**me, "Idempotency-Key": "c1"}, json=body)
    assert created.status_code == 201, created.text
    call = created.json()
    assert call["occurred_at"] == "2026-11-23T02:00:00Z" and call["rating"] == 4 and call["actor_id"] == str(rep)
    again = await api.post(url, headers={**me, "Idempotency-Key": "c1"}, json=body)
    assert again.status_code == 201 and again.json()["id"] == call["id"]

    listed = await api.get(f"{url}?direction=out&outcome=call_back_later", headers=me)
    assert [c["id"] for c in listed.json()["items"]] == [call["id"]]
    assert (await api.get(f"{url}?outcome=reached", headers=me)).json()["items"] == []

    note = await api.post(f"/api/v1/customers/{customer_id}/notes", headers={**me, "Idempotency-Key": "n1"},
                          json={"text": "Khách quan tâm gói Premium"})
    assert note.status_code == 201 and note.json()["type"] == "note"
    timeline = (await api.get(f"/api/v1/customers/{customer_id}/timeline", headers=me)).json()["items"]
    assert [e["type"] for e in timeline] == ["note", "call_out"]
    assert timeline[1]["data"]["outcome"] == "call_back_later" and timeline[1]["note"] == "Gọi lại chiều mai"

    outsider = auth(uuid.uuid4())
    assert (await api.post(url, headers=outsider, json=body)).status_code == 404
    assert (await api.get(url, headers=outsider)).status_code == 404
    r = await api.post(f"/api/v1/customers/{customer_id}/notes", headers=outsider, json={"text": "x"})
    assert r.status_code == 404


async def test_validation(app, api):
    rep = uuid.uuid4()
    customer_id = await visible_customer(app, rep)
    r = await api.post(f"/api/v1/customers/{customer_id}/calls", headers=auth(rep), json={
        "direction": "sideways", "outcome": "reached", "duration_seconds": 86401, "rating": 6,
        "note": "x" * 4001, "recording_ref": "r" * 501, "external_id": "e" * 201})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {
        "direction", "duration_seconds", "rating", "note", "recording_ref", "external_id"}
    r = await api.post(f"/api/v1/customers/{customer_id}/notes", headers=auth(rep), json={"text": ""})
    assert r.status_code == 422


async def test_integrator_key(app, api):
    customer_id = await visible_customer(app, uuid.uuid4())
    url = f"/api/v1/customers/{customer_id}/calls"
    body = {"direction": "in", "outcome": "no_answer", "duration_seconds": 0, "external_id": "CC-77",
            "recording_ref": "cc:77"}
    assert (await api.post(url, headers=service_auth(), json=body)).json()["code"] == "forbidden"
    pbx = service_auth("calls.write")
    first = await api.post(url, headers=pbx, json=body)
    assert first.status_code == 201, first.text
    retry = await api.post(url, headers=pbx, json=body)
    assert retry.status_code == 200 and retry.json() == first.json()
    missing = await api.post(f"/api/v1/customers/{uuid.uuid4()}/calls", headers=pbx, json=body)
    assert missing.status_code == 404
    rows = await app.state.pool.fetch("SELECT type FROM timeline_entries WHERE customer_id = $1",
                                      uuid.UUID(customer_id))
    assert [r["type"] for r in rows] == ["call_missed"]
    assert "call.logged" in (await api.get("/asyncapi.json")).text
