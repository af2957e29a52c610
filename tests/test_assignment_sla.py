"""Speed-to-lead SLA through the gateway (A-6), on the test stack's short minute (2 s:
CRM_ASSIGNMENT_SLA_MINUTE_SECONDS in deploy/local/run-tests): a manager gives three new leads
under a job with a 5-minute SLA (10 s) and a warning 2 minutes before (at 6 s) - two to one rep,
one to a second rep. The second rep writes a note on theirs at once: contacted in time
(`contacted_at`), never recalled. The first rep does nothing: they are warned (an important
notification), then their leads are recalled (`recall_reason: sla_missed`, the timeline's
`recalled` line with `cause: "sla_missed"`) and dealt again to the job's other rep, the second
one (`redistributed_from`), who owns them."""
from __future__ import annotations

from e2e_support import eventually, random_mobile

SLA = {"sla_minutes": 5, "warn_before_minutes": 2}


async def new_customers(client, who: dict, count: int) -> list[str]:
    ids = []
    for i in range(count):
        r = await client.post("/api/v1/customers", headers=who["headers"],
                              json={"name": f"Lead nóng {i}", "phone": random_mobile()})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids


async def detail(client, who: dict, assignment_id: str) -> dict:
    r = await client.get(f"/api/v1/assignments/{assignment_id}", headers=who["headers"])
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_missed_sla_warns_recalls_and_redistributes_and_a_contact_in_time_keeps_the_lead(client, org):
    manager, slow, quick = org["manager"], org["rep"], org["rep2"]
    ids = await new_customers(client, manager, 3)
    body = {"customer_ids": ids, "text": "Gọi ngay lead nóng", "direct": True,
            "job": {"content": "Lead nóng", "type": "telesales", **SLA},
            "quantities": [{"user_id": slow["id"], "count": 2}, {"user_id": quick["id"], "count": 1}]}

    async def distributed():  # the assignment service learns of new customers from events
        r = await client.post("/api/v1/assignments", headers=manager["headers"], json=body)
        assert r.status_code in (201, 422), r.text
        return r.json() if r.status_code == 201 else None

    made = await eventually(distributed, timeout=30)
    assert (made["job"]["sla_minutes"], made["job"]["warn_before_minutes"]) == (5, 2)
    missed = next(a for a in made["assignments"] if a["assignee_id"] == slow["id"])
    kept = next(a for a in made["assignments"] if a["assignee_id"] == quick["id"])
    slow_ids, [quick_id] = ids[:2], ids[2:]
    assert missed["strategy"] == "quantities"
    shown = await detail(client, manager, missed["id"])
    assert shown["contact_due_at"] and all(c["contact_due_at"] == shown["contact_due_at"]
                                           for c in shown["customers"])

    # the quick rep writes a note as soon as the lead is theirs: contacted in time
    async def noted():
        r = await client.post(f"/api/v1/customers/{quick_id}/notes", headers=quick["headers"],
                              json={"text": "Đã gọi, khách hẹn chiều nay"})
        return r.status_code == 201

    await eventually(noted, timeout=30)

    async def contacted():
        [customer] = (await detail(client, quick, kept["id"]))["customers"]
        return customer["contacted_at"] and customer

    customer = await eventually(contacted, timeout=30)
    assert customer["contacted_at"] <= customer["contact_due_at"] and customer["state"] == "open"

    # the slow rep is warned, then loses both leads
    async def warned():
        inbox = await client.get("/api/v1/notifications?important=true", headers=slow["headers"])
        return next((n for n in inbox.json()["items"] if n["type"] == "assignment_sla_warning"
                     and n["data"].get("assignment_id") == missed["id"]), None)

    warning = await eventually(warned, timeout=60)
    assert sorted(warning["data"]["customer_ids"]) == sorted(slow_ids) and warning["data"]["recall_at"]

    async def recalled():
        customers = (await detail(client, manager, missed["id"]))["customers"]
        return all(c["state"] == "recalled" for c in customers) and customers

    customers = await eventually(recalled, timeout=60)
    assert {c["recall_reason"] for c in customers} == {"sla_missed"} and all(c["closed_at"] for c in customers)

    async def redistributed():
        listed = await client.get(f"/api/v1/assignments?job_id={made['job']['id']}", headers=manager["headers"])
        return next((a for a in listed.json()["items"] if a["redistributed_from"] == missed["id"]), None)

    again = await eventually(redistributed, timeout=30)
    assert (again["assignee_id"], again["assigned_by"], again["text"], again["direct"]) == (
        quick["id"], manager["id"], "Gọi ngay lead nóng", True)

    async def recalled_line():
        t = await client.get(f"/api/v1/customers/{slow_ids[0]}/timeline?type=recalled", headers=manager["headers"])
        return t.status_code == 200 and t.json()["items"]

    [line, *_] = await eventually(recalled_line, timeout=30)
    assert line["data"]["cause"] == "sla_missed" and line["data"]["reason"] == "assignment.recalled"

    # the lead contacted in time was never recalled
    [customer] = (await detail(client, manager, kept["id"]))["customers"]
    assert customer["state"] == "open" and customer["recall_reason"] is None

    # the redistributed leads carry a fresh clock of their own: stop it before it sends them back
    stopped = await client.post("/api/v1/recalls", headers=manager["headers"], json={"assignment_id": again["id"]})
    assert stopped.status_code == 200, stopped.text


async def test_a_warning_must_come_before_the_deadline(client, org):
    r = await client.post("/api/v1/jobs", headers=org["manager"]["headers"],
                          json={"content": "x", "type": "telesales", "sla_minutes": 10, "warn_before_minutes": 10})
    assert r.status_code == 422, r.text
    r = await client.post("/api/v1/jobs", headers=org["manager"]["headers"],
                          json={"content": "x", "type": "telesales", "sla_minutes": 10})
    assert r.status_code == 201 and (r.json()["sla_minutes"], r.json()["warn_before_minutes"]) == (10, 2)
