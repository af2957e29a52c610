"""The admins' auto rules and settings, and the review's routes, through the service's HTTP API:
roles, limits, versions (If-Match), Idempotency-Key, problem codes in both languages."""
from __future__ import annotations

import uuid

import pytest

from crmkit.keys import new_pair
from crmkit.testing import running_service, service_client, sign_test_token, temp_database

from crm_compensation.app import MIGRATIONS, create_app
from crm_compensation.settings import CompensationSettings

PRIVATE, PUBLIC = new_pair()
TEAM = "/r/b1/t1/"


@pytest.fixture
async def client():
    async with temp_database(MIGRATIONS) as dsn:
        settings = CompensationSettings(database_url=dsn, run_mode="api")
        async with running_service(create_app, settings, public_key=PUBLIC) as app:
            async with service_client(app) as http:
                yield http


def caller(*roles: str, user_id: uuid.UUID | None = None, **headers: str) -> dict[str, str]:
    token = sign_test_token(PRIVATE, user_id=user_id or uuid.uuid4(), roles=roles, unit_id=uuid.uuid4(),
                            unit_path=TEAM)
    return {"Authorization": f"Bearer {token}", **headers}


WRONG_NUMBER = {"reason_code": "wrong_number", "kind": "min_calls_with_outcome",
                "params": {"min_calls": 3, "outcome": "wrong_number"}}


async def test_an_admin_creates_changes_lists_and_deletes_rules(client):
    admin = caller("admin")
    made = await client.post("/api/v1/compensation-rules", json=WRONG_NUMBER,
                             headers={**admin, "Idempotency-Key": "rule-1"})
    assert made.status_code == 201, made.text
    rule = made.json()
    assert (rule["decision"], rule["active"], rule["params"], made.headers["ETag"]) == (
        "approved", True, {"min_calls": 3, "outcome": "wrong_number"}, '"1"')
    replay = await client.post("/api/v1/compensation-rules", json=WRONG_NUMBER,
                               headers={**admin, "Idempotency-Key": "rule-1"})
    assert replay.json()["id"] == rule["id"] and replay.headers["Idempotent-Replayed"] == "true"
    duplicate = await client.post("/api/v1/compensation-rules", headers=admin, json={
        "reason_code": "duplicate", "kind": "duplicate_of_provider_lead", "position": 1})
    assert duplicate.status_code == 201 and duplicate.json()["params"] == {}
    path = f"/api/v1/compensation-rules/{rule['id']}"
    stale = await client.patch(path, json={"active": False}, headers={**admin, "If-Match": '"7"'})
    assert stale.status_code == 412
    changed = await client.patch(path, json={"active": False, "params": {"min_calls": 5, "outcome": "no_answer"}},
                                 headers={**admin, "If-Match": '"1"'})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["active"], changed.json()["params"]["min_calls"], changed.json()["version"]) == (
        False, 5, 2)
    listed = await client.get("/api/v1/compensation-rules", headers=admin)
    assert [r["kind"] for r in listed.json()] == ["min_calls_with_outcome", "duplicate_of_provider_lead"]
    assert (await client.delete(path, headers=admin)).status_code == 204
    assert (await client.get(path, headers=admin)).status_code == 404


async def test_rules_refuse_what_is_not_a_rule(client):
    admin = caller("admin", **{"Accept-Language": "en"})
    missing = await client.post("/api/v1/compensation-rules", headers=admin, json={
        **WRONG_NUMBER, "params": {"min_calls": 3}})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "params.outcome"
    unknown = await client.post("/api/v1/compensation-rules", headers=admin, json={**WRONG_NUMBER,
                                                                                   "reason_code": "no_such_reason"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["code"] == "unknown_reason"
    out_of_range = await client.post("/api/v1/compensation-rules", headers=admin, json={
        **WRONG_NUMBER, "params": {"min_calls": 0, "outcome": "wrong_number"}})
    assert out_of_range.status_code == 422
    for role in ("reviewer", "manager", "sales"):
        refused = await client.get("/api/v1/compensation-rules", headers=caller(role))
        assert (refused.status_code, refused.json()["code"]) == (403, "not_admin")


async def test_the_settings(client):
    admin = caller("admin")
    current = await client.get("/api/v1/compensation-settings", headers=admin)
    assert current.status_code == 200
    assert {k: current.json()[k] for k in ("abuse_min_requests", "review_sla_hours")} == {
        "abuse_min_requests": 5, "review_sla_hours": 48}
    assert float(current.json()["abuse_multiple"]) == 3
    without_version = await client.patch("/api/v1/compensation-settings", json={"review_sla_hours": 24},
                                         headers=admin)
    assert without_version.status_code == 428
    changed = await client.patch("/api/v1/compensation-settings", json={"review_sla_hours": 24, "abuse_multiple": 2.5},
                                 headers={**admin, "If-Match": current.headers["ETag"]})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["review_sla_hours"], float(changed.json()["abuse_multiple"]), changed.json()["version"]) == (
        24, 2.5, 2)
    too_low = await client.patch("/api/v1/compensation-settings", json={"abuse_multiple": 0.5},
                                 headers={**admin, "If-Match": '"2"'})
    assert too_low.status_code == 422
    assert (await client.get("/api/v1/compensation-settings", headers=caller("reviewer"))).status_code == 403


async def test_the_review_routes_answer_in_problem_json(client):
    rep = caller("sales", **{"Accept-Language": "en"})
    unknown = await client.post(f"/api/v1/lead-packages/{uuid.uuid4()}/review-submission", headers=rep)
    assert unknown.status_code == 404
    invalid = await client.post("/api/v1/compensation-batches", headers=rep,
                                json={"package_id": str(uuid.uuid4()), "confirmation_token": "x"})
    assert invalid.status_code == 404
    decision = await client.post(f"/api/v1/compensation-requests/{uuid.uuid4()}/decision", headers=rep,
                                 json={"decision": "approved"})
    assert (decision.status_code, decision.json()["code"]) == (403, "not_a_reviewer")
    assert decision.json()["detail"] == "Only reviewers and administrators may do this."
    not_found = await client.post(f"/api/v1/compensation-requests/{uuid.uuid4()}/decision",
                                  headers=caller("reviewer"), json={"decision": "approved", "note": "x" * 2001})
    assert not_found.status_code == 422
    queue = await client.get("/api/v1/compensation-batches", headers=caller("reviewer"))
    assert queue.status_code == 200 and queue.json() == {"items": [], "next_cursor": None}
    report = await client.get("/api/v1/compensation-reports/review-sla", headers=caller("reviewer"),
                              params={"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"})
    assert report.status_code == 200, report.text
    assert report.json()["from"].startswith("2026-01-01") and report.json()["by_reviewer"] == []
    assert (await client.get("/api/v1/compensation-reports/review-sla", headers=rep)).status_code == 403
