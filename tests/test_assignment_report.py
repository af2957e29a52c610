"""A job's report through the gateway (issue 13): under one job with an SLA, a branch manager
gives two leads directly to one rep (who calls back one of them by a note and has the other
recalled) and offers two to a second rep, who accepts, and one more to the first, who declines;
the report counts each rep's leads and the totals; a manager of another branch, the reps and a
rep of another branch do not see it (404). Beside it, what the console reads on the same screens:
the roster's room, and a customer's assignments (with the lead's deadline)."""
from __future__ import annotations

import uuid

from e2e_support import eventually, new_unit, new_user, random_mobile


async def new_customers(client, who: dict, count: int) -> list[str]:
    ids = []
    for i in range(count):
        r = await client.post("/api/v1/customers", headers=who["headers"],
                              json={"name": f"Khách báo cáo {i}", "phone": random_mobile()})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids


async def give(client, manager: dict, body: dict) -> dict:
    """POST /assignments once the assignment service has learnt of the customers (from events)."""
    async def distributed():
        r = await client.post("/api/v1/assignments", headers=manager["headers"], json=body)
        assert r.status_code in (201, 422), r.text
        return r.json() if r.status_code == 201 else None

    return (await eventually(distributed, timeout=30))["assignments"][0]


async def report(client, who: dict, job_id: str):
    return await client.get(f"/api/v1/jobs/{job_id}/report", headers=who["headers"])


def counts(**given) -> dict:
    zero = {"assigned": 0, "offered": 0, "accepted": 0, "declined": 0, "expired": 0, "recalled": 0, "sla_missed": 0,
            "open": 0, "contacted_within_sla": 0, "contacted_late": 0}
    return {**zero, **given}


def without_names(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("user_id", "username", "full_name", "median_minutes_to_contact")}


async def test_a_jobs_report_with_two_reps(client, admin, org):
    manager, rep, rep2 = org["manager"], org["rep"], org["rep2"]
    # an SLA far beyond the test (600 "minutes": 20 min on the test stack's 2-second minute)
    job = await client.post("/api/v1/jobs", headers=manager["headers"], json={
        "content": "Báo cáo chiến dịch", "type": "telesales", "sla_minutes": 600, "warn_before_minutes": 0})
    assert job.status_code == 201, job.text
    job_id = job.json()["id"]
    ids = await new_customers(client, manager, 5)
    direct = await give(client, manager, {"customer_ids": ids[:2], "text": "Gọi ngay", "job_id": job_id,
                                          "direct": True, "quantities": [{"user_id": rep["id"], "count": 2}]})
    taken = await give(client, manager, {"customer_ids": ids[2:4], "text": "Nhận giúp", "job_id": job_id,
                                         "assignees": [rep2["id"]]})
    refused = await give(client, manager, {"customer_ids": ids[4:], "text": "Nhận giúp", "job_id": job_id,
                                           "assignees": [rep["id"]]})
    accepted = await client.post(f"/api/v1/assignments/{taken['id']}/accept", headers=rep2["headers"])
    assert accepted.status_code == 200, accepted.text
    declined = await client.post(f"/api/v1/assignments/{refused['id']}/decline", headers=rep["headers"],
                                 json={"reason": "Khách ngoài khu vực"})
    assert declined.status_code == 200, declined.text
    recalled = await client.post("/api/v1/recalls", headers=manager["headers"],
                                 json={"assignment_id": direct["id"], "customer_ids": [ids[1]]})
    assert recalled.status_code == 200 and recalled.json()["recalled"] == [ids[1]]

    async def noted():  # the rep calls back the lead they still own (once the customers service made them owner)
        r = await client.post(f"/api/v1/customers/{ids[0]}/notes", headers=rep["headers"],
                              json={"text": "Đã gọi, khách hẹn tuần sau"})
        return r.status_code == 201

    await eventually(noted, timeout=30)

    async def contacted():
        r = await report(client, manager, job_id)
        assert r.status_code == 200, r.text
        return r.json() if r.json()["totals"]["contacted_within_sla"] else None

    made = await eventually(contacted, timeout=30)
    assert (made["job_id"], made["sla_minutes"]) == (job_id, 600)
    by_rep = {row["user_id"]: row for row in made["reps"]}
    assert set(by_rep) == {rep["id"], rep2["id"]}
    assert by_rep[rep["id"]]["username"] == rep["username"] and by_rep[rep["id"]]["full_name"] == "Người dùng rep"
    assert without_names(by_rep[rep["id"]]) == counts(assigned=3, offered=1, declined=1, recalled=1, open=1,
                                                      contacted_within_sla=1)
    assert without_names(by_rep[rep2["id"]]) == counts(assigned=2, offered=2, accepted=2, open=2)
    assert without_names(made["totals"]) == counts(assigned=5, offered=3, accepted=2, declined=1, recalled=1, open=3,
                                                   contacted_within_sla=1)
    minutes = by_rep[rep["id"]]["median_minutes_to_contact"]
    assert minutes is not None and minutes >= 0 and made["totals"]["median_minutes_to_contact"] == minutes
    assert by_rep[rep2["id"]]["median_minutes_to_contact"] is None

    # who sees it: the job's branch manager and admins; nobody else (invisible = 404)
    tag = uuid.uuid4().hex[:6]
    root = (await client.get("/api/v1/me", headers=admin)).json()["unit_id"]
    elsewhere = await new_unit(client, admin, f"Chi nhánh xa {tag}", "branch", root)
    other_manager = await new_user(client, admin, username=f"manager.far.{tag}", full_name="Quản lý xa",
                                   unit_id=elsewhere, roles=["manager"])
    assert (await client.get(f"/api/v1/jobs/{job_id}/report", headers=admin)).status_code == 200
    for stranger in (other_manager, rep, rep2, org["outsider"]):
        hidden = await report(client, stranger, job_id)
        assert hidden.status_code == 404 and hidden.json()["code"] == "not_found", stranger["username"]
    assert (await report(client, manager, str(uuid.uuid4()))).status_code == 404

    # the console beside it: a customer's assignments (the lead's deadline on its page), the roster's room
    listed = await client.get(f"/api/v1/assignments?customer_id={ids[0]}", headers=manager["headers"])
    assert listed.status_code == 200, listed.text
    [held] = listed.json()["items"]
    assert held["id"] == direct["id"] and held["customer"]["state"] == "open"
    assert held["customer"]["contact_due_at"] and held["customer"]["contacted_at"]
    back = await client.get(f"/api/v1/assignments?customer_id={ids[1]}", headers=manager["headers"])
    assert [(a["id"], a["customer"]["state"]) for a in back.json()["items"]] == [(direct["id"], "recalled")]
    assert (await client.get(f"/api/v1/assignments?customer_id={ids[0]}",
                             headers=other_manager["headers"])).json()["items"] == []
    # the org is shared by the session's tests (rep2 may hold other leads too): its capacity is put back
    held_now = next(r for r in (await client.get("/api/v1/roster", headers=manager["headers"])).json()
                    if r["user_id"] == rep2["id"])["open_leads"]
    assert held_now >= 2
    try:
        for capacity, room in ((held_now + 1, 1), (1, 0)):  # never below 0
            tuned = await client.patch(f"/api/v1/roster/{rep2['id']}", headers=manager["headers"],
                                       json={"capacity": capacity})
            assert tuned.status_code == 200 and tuned.json()["room"] == room, tuned.text
    finally:
        back_to = await client.patch(f"/api/v1/roster/{rep2['id']}", headers=manager["headers"],
                                     json={"capacity": None})
        assert back_to.status_code == 200 and back_to.json()["room"] is None
