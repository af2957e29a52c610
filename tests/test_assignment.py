"""Dividing leads among reps through the gateway (A-1 … A-5, A-7; seed 004 "giao việc"): a
branch manager gives customers directly to one rep and offers others to a second rep, who
accepts; each rep then owns theirs (scope `mine`) and the timeline says `assigned`; the same
customer cannot be given twice while open; a recall gives it back to its previous owner (here:
unassigned in the branch); a rep of another branch can do none of it."""
from __future__ import annotations

import uuid

from e2e_support import eventually, new_user, random_mobile


async def new_customers(client, who: dict, count: int) -> list[str]:
    ids = []
    for i in range(count):
        r = await client.post("/api/v1/customers", headers=who["headers"],
                              json={"name": f"Khách chia {i}", "phone": random_mobile()})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids


async def owners(client, who: dict, ids: list[str]) -> list[str | None]:
    return [(await client.get(f"/api/v1/customers/{i}", headers=who["headers"])).json().get("owner_id") for i in ids]


async def test_distribute_accept_recall_through_the_gateway(client, org):
    manager, rep, rep2, outsider = org["manager"], org["rep"], org["rep2"], org["outsider"]
    ids = await new_customers(client, manager, 4)
    [before] = await owners(client, manager, [ids[0]])  # a manager's new customer is unassigned in the branch
    roster = await client.get("/api/v1/roster", headers=manager["headers"])
    assert roster.status_code == 200, roster.text
    assert {rep["id"], rep2["id"]} <= {r["user_id"] for r in roster.json()}
    assert outsider["id"] not in {r["user_id"] for r in roster.json()}

    body = {"customer_ids": ids[:2], "text": "Gọi tư vấn trong tuần", "direct": True,
            "job": {"content": "Chiến dịch tháng 11", "type": "telesales"},
            "quantities": [{"user_id": rep["id"], "count": 2}]}

    async def distributed():  # the assignment service learns of new customers from events
        r = await client.post("/api/v1/assignments", headers=manager["headers"], json=body)
        assert r.status_code in (201, 422), r.text
        return r.json() if r.status_code == 201 else None

    made = await eventually(distributed, timeout=30)
    job_id = made["job"]["id"]
    assert made["assignments"][0]["status"] == "accepted"
    await eventually(lambda: _all(owners(client, manager, ids[:2]), rep["id"]), timeout=30)
    mine = await client.get("/api/v1/customers?scope=mine", headers=rep["headers"])
    assert set(ids[:2]) <= {c["id"] for c in mine.json()["items"]}

    async def assigned_line():
        t = await client.get(f"/api/v1/customers/{ids[0]}/timeline?type=assigned", headers=rep["headers"])
        return t.status_code == 200 and t.json()["items"]

    [line] = await eventually(assigned_line, timeout=30)
    assert line["data"]["to_owner_id"] == rep["id"] and line["data"]["reason"] == "assignment.direct"

    twice = await client.post("/api/v1/assignments", headers=manager["headers"], json={
        **body, "job": None, "job_id": job_id, "quantities": [{"user_id": rep2["id"], "count": 2}]})
    assert twice.status_code == 409 and twice.json()["code"] == "customers_already_assigned"
    assert (twice.json()["customer_ids"], twice.json()["count"]) == (sorted(ids[:2]), 2)  # which customers
    mismatch = await client.post("/api/v1/assignments", headers=manager["headers"], json={
        "customer_ids": ids[2:], "text": "x", "job_id": job_id, "quantities": [{"user_id": rep2["id"], "count": 1}]})
    assert mismatch.status_code == 422 and mismatch.json()["code"] == "quantities_mismatch"

    offered = await client.post("/api/v1/assignments", headers=manager["headers"], json={
        "customer_ids": ids[2:], "text": "Nhận giúp anh nhé", "job_id": job_id, "strategy": "round_robin",
        "assignees": [rep2["id"]]})
    assert offered.status_code == 201, offered.text
    offer = offered.json()["assignments"][0]
    assert offer["status"] == "offered"
    assert (await client.post(f"/api/v1/assignments/{offer['id']}/accept", headers=rep["headers"])).status_code == 404

    async def rep2_notified():
        inbox = await client.get("/api/v1/notifications?important=true", headers=rep2["headers"])
        return any(n["type"] == "assignment_offered" and n["data"].get("assignment_id") == offer["id"]
                   for n in inbox.json()["items"])

    await eventually(rep2_notified, timeout=30)
    accepted = await client.post(f"/api/v1/assignments/{offer['id']}/accept", headers=rep2["headers"])
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    await eventually(lambda: _all(owners(client, manager, ids[2:]), rep2["id"]), timeout=30)

    recalled = await client.post("/api/v1/recalls", headers=manager["headers"],
                                 json={"assignment_id": made["assignments"][0]["id"], "customer_ids": [ids[0]]})
    assert recalled.status_code == 200 and recalled.json()["recalled"] == [ids[0]]
    await eventually(lambda: _all(owners(client, manager, [ids[0]]), before), timeout=30)
    assert ids[0] not in {c["id"] for c in (await client.get("/api/v1/customers?scope=mine",
                                                             headers=rep["headers"])).json()["items"]}

    moved = await client.post("/api/v1/assignments", headers=manager["headers"], json={
        "customer_ids": ids[2:], "text": "Chuyển sang rep", "job_id": job_id, "direct": True, "recall_first": True,
        "quantities": [{"user_id": rep["id"], "count": 2}]})
    assert moved.status_code == 201, moved.text  # assign and recall in one operation
    await eventually(lambda: _all(owners(client, manager, ids[2:]), rep["id"]), timeout=30)

    for attempt in (client.get(f"/api/v1/assignments/{offer['id']}", headers=outsider["headers"]),
                    client.post("/api/v1/recalls", headers=outsider["headers"],
                                json={"assignment_id": offer["id"]}),
                    client.get(f"/api/v1/jobs/{job_id}", headers=outsider["headers"]),
                    client.get(f"/api/v1/jobs/{job_id}", headers=rep["headers"])):
        assert (await attempt).status_code == 404  # invisible = 404
    refused = await client.post("/api/v1/assignments", headers=rep["headers"], json={**body, "job": None,
                                                                                     "job_id": job_id})
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_distributor"


async def _all(awaitable, expected: str | None) -> bool:
    return all(owner == expected for owner in await awaitable)


async def offer_to(client, manager: dict, rep: dict, count: int = 1) -> dict:
    """An offer of `count` new customers of the manager to `rep` (once the assignment service knows them)."""
    ids = await new_customers(client, manager, count)
    body = {"customer_ids": ids, "text": "Nhận giúp", "job": {"content": "Chiến dịch", "type": "telesales"},
            "assignees": [rep["id"]]}

    async def distributed():
        r = await client.post("/api/v1/assignments", headers=manager["headers"], json=body)
        assert r.status_code in (201, 422), r.text
        return r.json() if r.status_code == 201 else None

    return await eventually(distributed, timeout=30)


async def test_accepting_a_declined_offer_is_a_problem_with_the_http_status(client, org):
    """RFC 9457: `status` is the HTTP status; the assignment's own status is `assignment_status`."""
    made = await offer_to(client, org["manager"], org["rep"])
    offer_id = made["assignments"][0]["id"]
    declined = await client.post(f"/api/v1/assignments/{offer_id}/decline", headers=org["rep"]["headers"])
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    again = await client.post(f"/api/v1/assignments/{offer_id}/accept", headers=org["rep"]["headers"])
    assert again.status_code == 409 and again.headers["content-type"].startswith("application/problem+json")
    problem = again.json()
    assert (problem["status"], problem["code"], problem["assignment_status"]) == (
        409, "assignment_not_offered", "declined")


async def test_exactly_one_of_job_id_and_job_names_both_fields(client, org):
    body = {"customer_ids": [org["rep"]["id"]], "text": "x", "assignees": [org["rep"]["id"]]}
    for lang, message in (("vi", "Cần đúng một trường trong số: job_id, job."),
                          ("en", "Exactly one of job_id, job is required.")):
        r = await client.post("/api/v1/assignments", headers={**org["manager"]["headers"], "Accept-Language": lang},
                              json=body)
        assert r.status_code == 422 and r.json()["code"] == "validation_error", r.text
        assert r.json()["errors"] == [{"field": "job_id", "code": "exactly_one_of", "message": message},
                                      {"field": "job", "code": "exactly_one_of", "message": message}]


async def test_a_declined_offer_keeps_the_reason(client, org):
    made = await offer_to(client, org["manager"], org["rep2"])
    offer_id = made["assignments"][0]["id"]
    too_long = await client.post(f"/api/v1/assignments/{offer_id}/decline", headers=org["rep2"]["headers"],
                                 json={"reason": "x" * 501})
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "reason", too_long.text
    declined = await client.post(f"/api/v1/assignments/{offer_id}/decline", headers=org["rep2"]["headers"],
                                 json={"reason": "Khách ở xa, em không đi được"})
    assert declined.status_code == 200, declined.text
    assert declined.json()["decline_reason"] == "Khách ở xa, em không đi được"
    seen = await client.get(f"/api/v1/assignments/{offer_id}", headers=org["manager"]["headers"])
    assert (seen.json()["status"], seen.json()["decline_reason"]) == ("declined", "Khách ở xa, em không đi được")


async def test_a_deactivated_reps_offers_return_and_the_assigner_is_told(client, admin, org):
    """Issue 13: an admin deactivates a rep holding an offer; the offer returns to the pool at once
    (expired, `assignee_deactivated`), the customer is no longer theirs to hold, and the manager's
    notification names the rep."""
    tag = uuid.uuid4().hex[:6]
    rep = await new_user(client, admin, username=f"leaving.{tag}", full_name=f"Người nghỉ {tag}",
                         unit_id=org["team"], roles=["sales"])
    manager = org["manager"]
    made = await offer_to(client, manager, rep)
    offer_id = made["assignments"][0]["id"]
    user = (await client.get(f"/api/v1/users/{rep['id']}", headers=admin)).json()
    off = await client.patch(f"/api/v1/users/{rep['id']}", headers={**admin, "If-Match": f'"{user["version"]}"'},
                             json={"active": False})
    assert off.status_code == 200, off.text

    async def returned():
        seen = (await client.get(f"/api/v1/assignments/{offer_id}", headers=manager["headers"])).json()
        return seen if seen["status"] == "expired" else None
    assert (await eventually(returned, timeout=30))["open_count"] == 0

    async def told():
        items = (await client.get("/api/v1/notifications", headers=manager["headers"])).json()["items"]
        return [n for n in items if n["type"] == "assignment_expired" and n["data"].get("assignment_id") == offer_id]
    [notice] = await eventually(told, timeout=30)
    assert notice["data"]["reason"] == "assignee_deactivated" and f"Người nghỉ {tag}" in notice["title"]
