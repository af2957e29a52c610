"""Seed 000 through the gateway (P-1 … P-6): a manager buys a lead package for a rep, the rep calls
the leads (the calls are the evidence), asks for compensation ("Yêu cầu bù ngay") and meets the
rules' refusals, sends the drafts for review ("Gửi xét duyệt") through both confirmations, a
reviewer decides, and the rep sees the decisions, the credit and the notification. Then every
object is tried by every kind of caller (BOLA)."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from e2e_support import eventually, new_user, random_mobile

API = "/api/v1"


async def created(client: httpx.AsyncClient, user: dict, name: str) -> str:
    r = await client.post(f"{API}/customers", headers=user["headers"], json={"name": name, "phone": random_mobile()})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def log_calls(client: httpx.AsyncClient, user: dict, customer_id: str, outcome: str, times: int) -> None:
    for n in range(times):
        async def logged(n=n):
            r = await client.post(f"{API}/customers/{customer_id}/calls", json={
                "direction": "out", "outcome": outcome, "duration_seconds": 5},
                headers={**user["headers"], "Idempotency-Key": f"call-{customer_id}-{outcome}-{n}"})
            assert r.status_code in (201, 404), r.text
            return r.status_code == 201 or None
        await eventually(logged, timeout=30)


async def request(client: httpx.AsyncClient, user: dict, body: dict) -> httpx.Response:
    return await client.post(f"{API}/compensation-requests", headers=user["headers"], json=body)


async def refused_with(client: httpx.AsyncClient, user: dict, body: dict, code: str, **details) -> dict:
    """The refusal once the service has caught up with the events the rule reads."""
    async def refusal():
        r = await request(client, user, body)
        problem = r.json()
        if r.status_code == 422 and problem.get("code") == code and all(
                problem.get(k) == v for k, v in details.items()):
            return problem
        assert r.status_code in (404, 422), r.text
        return None
    return await eventually(refusal, timeout=30)


@pytest.fixture(scope="module")
async def scene(client, admin, org):
    """A package of four leads owned by the rep, bought by the branch manager; a reviewer."""
    tag = uuid.uuid4().hex[:6]
    me = (await client.get(f"{API}/me", headers=admin)).json()
    reviewer = await new_user(client, admin, username=f"reviewer.{tag}", full_name="Người duyệt",
                              unit_id=me["unit_id"], roles=["reviewer"])
    rep = org["rep"]
    leads = [await created(client, rep, f"Khách gói {tag} {n}") for n in range(4)]
    r = await client.post(f"{API}/lead-packages", headers=org["manager"]["headers"], json={
        "name": f"Gói tháng 11 {tag}", "provider": f"Nhà cung cấp {tag}", "owner_id": rep["id"],
        "purchased_at": (datetime.now(UTC) - timedelta(days=2)).isoformat(),
        "policy": {"reasons": ["wrong_number", "unreachable", "duplicate"], "window_days": 30,
                   "max_share": 0.5, "min_call_attempts": 3}})
    assert r.status_code == 201, r.text
    package = r.json()
    delivered = (datetime.now(UTC) - timedelta(days=1)).isoformat()

    async def all_added():
        r = await client.post(f"{API}/lead-packages/{package['id']}/leads", headers=org["manager"]["headers"],
                              json={"customer_ids": leads, "delivered_at": delivered})
        assert r.status_code == 200, r.text
        got = r.json()
        return got if got["added"] + got["already"] == 4 else None
    await eventually(all_added, timeout=30)
    return {"package": package, "leads": leads, "reviewer": reviewer, "tag": tag}


async def test_seed_000_request_review_decide(client, org, scene):
    rep, manager, reviewer = org["rep"], org["manager"], scene["reviewer"]
    package_id = scene["package"]["id"]
    wrong, unreachable, fake, duplicate = scene["leads"]
    await log_calls(client, rep, wrong, "wrong_number", 3)
    await log_calls(client, rep, unreachable, "no_answer", 1)

    # the rules' refusals, each naming its rule
    problem = await refused_with(client, rep, {"customer_id": unreachable, "package_id": package_id,
                                               "reason_code": "unreachable", "reason_text": "Gọi không được"},
                                 "not_enough_call_attempts", attempts=1, minimum=3)
    assert problem["detail"]
    problem = await refused_with(client, rep, {"customer_id": fake, "reason_code": "fake_information",
                                               "reason_text": "Thông tin giả"}, "reason_not_allowed")
    assert set(problem["allowed"]) == {"wrong_number", "unreachable", "duplicate"}

    # "Yêu cầu bù ngay": the evidence is counted from the timeline, not typed in
    async def drafted():
        r = await request(client, rep, {"customer_id": wrong, "reason_code": "wrong_number",
                                        "reason_text": "Số không đúng người"})
        if r.status_code == 422 and r.json()["code"] == "not_enough_call_attempts":
            return None
        assert r.status_code == 201, r.text
        return r.json()
    first = await eventually(drafted, timeout=30)
    assert first["status"] == "draft" and first["package_id"] == package_id
    assert first["evidence"]["call_attempts"] == 3 and first["evidence"]["calls_by_outcome"]["wrong_number"] == 3
    again = await request(client, rep, {"customer_id": wrong, "reason_code": "wrong_number", "reason_text": "lần 2"})
    assert again.status_code == 422 and again.json()["code"] == "already_requested", again.text

    second = await request(client, rep, {"customer_id": duplicate, "package_id": package_id,
                                         "reason_code": "duplicate", "reason_text": "Trùng với gói trước"})
    assert second.status_code == 201, second.text
    # four leads × 50%: two requests is the quota
    quota = await request(client, rep, {"customer_id": unreachable, "package_id": package_id,
                                        "reason_code": "duplicate", "reason_text": "x"})
    assert quota.status_code == 422 and quota.json()["code"] == "quota_exceeded", quota.text
    assert quota.json()["used"] == 2 and quota.json()["maximum"] == 2

    # en: the same refusal in English
    english = await client.post(f"{API}/compensation-requests", json={
        "customer_id": wrong, "reason_code": "wrong_number", "reason_text": "x"},
        headers={**rep["headers"], "Accept-Language": "en"})
    assert english.json()["code"] == "already_requested" and english.json()["detail"] != again.json()["detail"]

    # "Danh sách yêu cầu bù"
    listed = await client.get(f"{API}/compensation-requests", params={"package_id": package_id, "status": "draft"},
                              headers=rep["headers"])
    assert listed.status_code == 200, listed.text
    assert {i["id"] for i in listed.json()["items"]} == {first["id"], second.json()["id"]}

    # "Gửi xét duyệt": two confirmations
    preview = await client.post(f"{API}/lead-packages/{package_id}/review-submission", headers=rep["headers"])
    assert preview.status_code == 200, preview.text
    assert preview.json()["count"] == 2
    assert {s["reason_code"]: s["count"] for s in preview.json()["summary"]} == {"wrong_number": 1, "duplicate": 1}
    batch = await client.post(f"{API}/compensation-batches", headers=rep["headers"], json={
        "package_id": package_id, "confirmation_token": preview.json()["confirmation_token"]})
    assert batch.status_code == 201, batch.text
    assert batch.json()["status"] == "submitted"
    reused = await client.post(f"{API}/compensation-batches", headers=rep["headers"], json={
        "package_id": package_id, "confirmation_token": preview.json()["confirmation_token"]})
    assert reused.status_code == 409, reused.text
    frozen = await client.delete(f"{API}/compensation-requests/{first['id']}", headers=rep["headers"])
    assert frozen.status_code == 409 and frozen.json()["code"] == "request_frozen", frozen.text

    # the reviewer's queue and the decisions
    queue = await client.get(f"{API}/compensation-batches", params={"status": "submitted", "package_id": package_id},
                             headers=reviewer["headers"])
    assert queue.status_code == 200, queue.text
    assert batch.json()["id"] in {b["id"] for b in queue.json()["items"]}
    decide = f"{API}/compensation-requests/{first['id']}/decision"
    approved = await client.post(decide, headers=reviewer["headers"],
                                 json={"decision": "approved", "note": "Đã kiểm tra cuộc gọi"})
    assert approved.status_code == 200, approved.text
    twice = await client.post(decide, headers=reviewer["headers"], json={"decision": "rejected", "note": "x"})
    assert twice.status_code == 409 and twice.json()["code"] == "already_decided", twice.text
    by_manager = await client.post(f"{API}/compensation-requests/{second.json()['id']}/decision",
                                   headers=manager["headers"], json={"decision": "approved", "note": "x"})
    assert by_manager.status_code == 403, by_manager.text
    rejected = await client.post(f"{API}/compensation-requests/{second.json()['id']}/decision",
                                 headers=reviewer["headers"], json={"decision": "rejected", "note": "Không trùng"})
    assert rejected.status_code == 200, rejected.text

    # the rep refreshes: states, counters, credit, history, notification, timeline
    after = (await client.get(f"{API}/compensation-batches/{batch.json()['id']}", headers=rep["headers"])).json()
    assert after["status"] == "completed"
    package = (await client.get(f"{API}/lead-packages/{package_id}", headers=rep["headers"])).json()
    assert (package["leads"], package["approved"], package["rejected"], package["credit"]) == (4, 1, 1, 1)
    credits = (await client.get(f"{API}/lead-packages/{package_id}/credits", headers=rep["headers"])).json()
    assert [c["request_id"] for c in credits["items"]] == [first["id"]]
    history = (await client.get(f"{API}/compensation-requests/{first['id']}/history", headers=rep["headers"])).json()
    steps = [h["to_status"] for h in (history["items"] if isinstance(history, dict) else history)]
    assert steps == ["draft", "submitted", "approved"]

    async def notified():
        r = await client.get(f"{API}/notifications", headers=rep["headers"])
        return [n for n in r.json()["items"] if n["type"] == "compensation_decided"
                and n["data"].get("request_id") == first["id"]] or None
    assert (await eventually(notified, timeout=30))[0]["data"]["decision"] == "approved"

    async def on_timeline():
        r = await client.get(f"{API}/customers/{wrong}/timeline", params={"type": "compensation"},
                             headers=rep["headers"])
        return [e for e in r.json()["items"] if e["data"].get("stage") == "decided"] or None
    assert await eventually(on_timeline, timeout=30)


async def test_every_kind_of_caller_on_every_object(client, org, scene):
    """BOLA: the rep of another branch and a teammate see nothing of the package (404), the branch
    manager and the reviewer see it, anonymous callers are refused, only reviewers decide."""
    package_id, lead = scene["package"]["id"], scene["leads"][2]
    rep, rep2, outsider, manager, reviewer = (org["rep"], org["rep2"], org["outsider"], org["manager"],
                                              scene["reviewer"])
    drafted = await request(client, rep, {"customer_id": lead, "package_id": package_id,
                                          "reason_code": "duplicate", "reason_text": "BOLA"})
    assert drafted.status_code in (201, 422), drafted.text
    listed = await client.get(f"{API}/compensation-requests", params={"package_id": package_id},
                              headers=rep["headers"])
    request_id = listed.json()["items"][0]["id"]
    objects = [f"{API}/lead-packages/{package_id}", f"{API}/lead-packages/{package_id}/leads",
               f"{API}/lead-packages/{package_id}/credits", f"{API}/compensation-requests/{request_id}",
               f"{API}/compensation-requests/{request_id}/history"]
    for url in objects:
        for who, expected in ((rep, 200), (manager, 200), (reviewer, 200), (rep2, 404), (outsider, 404)):
            r = await client.get(url, headers=who["headers"])
            assert r.status_code == expected, (url, who["username"], r.status_code, r.text)
        assert (await client.get(url)).status_code == 401, url
    for who in (rep2, outsider):
        listed = await client.get(f"{API}/compensation-requests", params={"package_id": package_id},
                                  headers=who["headers"])
        assert listed.status_code == 200 and listed.json()["items"] == [], listed.text
        packages = await client.get(f"{API}/lead-packages", headers=who["headers"])
        assert package_id not in {p["id"] for p in packages.json()["items"]}
        r = await request(client, who, {"customer_id": lead, "package_id": package_id,
                                        "reason_code": "duplicate", "reason_text": "x"})
        assert r.status_code == 404, r.text
        r = await client.patch(f"{API}/lead-packages/{package_id}", headers={**who["headers"], "If-Match": '"1"'},
                               json={"name": "x"})
        assert r.status_code == 404, r.text
        r = await client.post(f"{API}/lead-packages/{package_id}/review-submission", headers=who["headers"])
        assert r.status_code == 404, r.text
    r = await client.post(f"{API}/lead-packages", headers=rep["headers"], json={
        "name": "x", "provider": "x", "purchased_at": datetime.now(UTC).isoformat(),
        "policy": {"reasons": ["duplicate"], "window_days": 30, "max_share": 0.1, "min_call_attempts": 0}})
    assert r.status_code == 403, r.text
    r = await client.post(f"{API}/compensation-requests/{request_id}/decision", headers=rep["headers"],
                          json={"decision": "approved", "note": "x"})
    assert r.status_code in (403, 404), r.text
