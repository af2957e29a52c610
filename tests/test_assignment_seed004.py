"""Seed 004, section 6.2 "Giao sale chăm sóc" and 6.2.2 "Thu hồi", through the gateway, as the guide
tells it: a branch manager ticks customers in the customer list and opens "Giao sale chăm sóc";
creates a job (content and type required, target optional) and picks it; keeps the text the
console prefills ("Nội dung giao việc" must not be blank); chooses reps among the active ones with
a quantity each - quantities that do not add up to the selection are refused, then they do; with
"Giao trực tiếp không cần sale xác nhận" unticked a rep may refuse: one accepts, the other declines
saying why, and the manager's notification names who and why; the declined customer is then given
directly (the rep must take it); finally "Thu hồi": the manager picks the assignment holding the
selected customers and takes them back, and they return to their previous owner."""
from __future__ import annotations

import uuid

from e2e_support import eventually, random_mobile

PREFILLED = "Chăm sóc {count} khách hàng được giao"  # the console's customers.assign.textDefault


async def owner_of(client, who: dict, customer_id: str) -> str | None:
    return (await client.get(f"/api/v1/customers/{customer_id}", headers=who["headers"])).json().get("owner_id")


async def test_seed_004_scenario(client, org):
    manager, rep, rep2 = org["manager"], org["rep"], org["rep2"]
    tag = uuid.uuid4().hex[:8]
    for i in range(3):
        r = await client.post("/api/v1/customers", headers=manager["headers"],
                              json={"name": f"Khách {tag} {i}", "phone": random_mobile()})
        assert r.status_code == 201, r.text

    # Bước 1: tick the customers in the list ("Danh sách khách hàng"), then "Giao sale chăm sóc"
    listed = await client.get(f"/api/v1/customers?q={tag}", headers=manager["headers"])
    assert listed.status_code == 200, listed.text
    selected = sorted(c["id"] for c in listed.json()["items"])
    assert len(selected) == 3
    [before] = {await owner_of(client, manager, c) for c in selected}

    # 6.2.1 Bước 1: a new job - content and type required, target optional - then picked from the list
    untyped = await client.post("/api/v1/jobs", headers=manager["headers"], json={"content": "Chăm sóc khách mới"})
    assert untyped.status_code == 422 and untyped.json()["errors"][0]["field"].endswith("type"), untyped.text
    job = await client.post("/api/v1/jobs", headers=manager["headers"],
                            json={"content": "Chăm sóc khách mới", "type": "Gọi điện tư vấn"})
    assert job.status_code == 201 and job.json()["target"] is None, job.text
    job_id = job.json()["id"]
    assert job_id in {j["id"] for j in (await client.get("/api/v1/jobs", headers=manager["headers"])).json()["items"]}

    # Bước 2: the text is prefilled; it may be changed but not left blank
    text = PREFILLED.format(count=len(selected))
    base = {"customer_ids": selected, "job_id": job_id}
    blank = await client.post("/api/v1/assignments", headers=manager["headers"], json={
        **base, "text": "   ", "quantities": [{"user_id": rep["id"], "count": 3}]})
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "text", blank.text

    # Bước 3: the active reps to choose from, a quantity each, adding up to the selection
    roster = {r["user_id"] for r in (await client.get("/api/v1/roster", headers=manager["headers"])).json()}
    assert {rep["id"], rep2["id"]} <= roster
    offer = {**base, "text": text, "direct": False}

    async def mismatch():  # the assignment service learns of new customers from events
        r = await client.post("/api/v1/assignments", headers=manager["headers"], json={
            **offer, "quantities": [{"user_id": rep["id"], "count": 2}, {"user_id": rep2["id"], "count": 2}]})
        return r if r.json().get("code") != "validation_error" else None

    refused = await eventually(mismatch, timeout=30)
    assert refused.status_code == 422 and refused.json()["code"] == "quantities_mismatch"
    assert (refused.json()["selected"], refused.json()["assigned"]) == (3, 4)
    assert "(4)" in refused.json()["detail"] and "(3)" in refused.json()["detail"]  # Vietnamese by default

    # Bước 4: "Giao việc" - not direct: each rep accepts or declines
    made = await client.post("/api/v1/assignments", headers=manager["headers"], json={
        **offer, "quantities": [{"user_id": rep["id"], "count": 2}, {"user_id": rep2["id"], "count": 1}]})
    assert made.status_code == 201, made.text
    by_rep = {a["assignee_id"]: a for a in made.json()["assignments"]}
    assert {a["status"] for a in by_rep.values()} == {"offered"} and by_rep[rep["id"]]["text"] == text
    kept, declined_ids = selected[:2], selected[2:]  # consecutive slices, in the quantities' order
    accepted = await client.post(f"/api/v1/assignments/{by_rep[rep['id']]['id']}/accept", headers=rep["headers"])
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    declined = await client.post(f"/api/v1/assignments/{by_rep[rep2['id']]['id']}/decline", headers=rep2["headers"],
                                 json={"reason": "Khách ở xa, em không đi được"})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"

    async def told():
        items = (await client.get("/api/v1/notifications?important=true", headers=manager["headers"])).json()["items"]
        return next((n for n in items if n["type"] == "assignment_declined"
                     and n["data"].get("assignment_id") == by_rep[rep2["id"]]["id"]), None)

    notice = await eventually(told, timeout=30)
    assert notice["title"] == "Người dùng rep2 từ chối nhận 1 khách hàng, đã trả về kho"
    assert notice["body"] == "Lý do: Khách ở xa, em không đi được"
    for customer_id in kept:
        await eventually(lambda c=customer_id: _is(owner_of(client, manager, c), rep["id"]), timeout=30)

    # the declined customer, back in the pool, given directly ("Giao trực tiếp"): the rep must take it
    direct = await client.post("/api/v1/assignments", headers=manager["headers"], json={
        "customer_ids": declined_ids, "job_id": job_id, "text": PREFILLED.format(count=1), "direct": True,
        "quantities": [{"user_id": rep["id"], "count": 1}]})
    assert direct.status_code == 201 and direct.json()["assignments"][0]["status"] == "accepted", direct.text
    await eventually(lambda: _is(owner_of(client, manager, declined_ids[0]), rep["id"]), timeout=30)

    # 6.2.2 "Thu hồi": the assignment holding the selected customers is the rep's one of the job
    holding = await client.get(f"/api/v1/assignments?customer_id={kept[0]}", headers=manager["headers"])
    [open_one] = [a for a in holding.json()["items"] if a["customer"]["state"] == "open"]
    assert open_one["id"] == by_rep[rep["id"]]["id"]
    # the job chosen ("Chọn giao việc muốn thu hồi"), only the selected customers taken back
    recalled = await client.post("/api/v1/recalls", headers=manager["headers"],
                                 json={"job_id": job_id, "customer_ids": kept})
    assert recalled.status_code == 200 and sorted(recalled.json()["recalled"]) == kept, recalled.text
    assert recalled.json()["assignments"] == [open_one["id"]] and recalled.json()["skipped"] == []
    for customer_id in kept:
        await eventually(lambda c=customer_id: _is(owner_of(client, manager, c), before), timeout=30)
    assert await owner_of(client, manager, declined_ids[0]) == rep["id"]  # not selected for the recall: stays


async def _is(awaitable, expected) -> bool:
    return await awaitable == expected
