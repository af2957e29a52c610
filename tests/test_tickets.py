"""Care and support tickets through the gateway (I-6, I-7): a care ticket planned → done shows a
`care` entry on the customer's timeline; a support ticket pending → processing → done, with an
invalid transition refused; a rep of another branch gets 404; the customer's detail counts them."""
from __future__ import annotations

from datetime import UTC, datetime

from e2e_support import eventually, random_mobile


async def visible_customer(client, rep: dict) -> tuple[dict, dict]:
    """A customer of `rep` and a first care ticket for it, once interactions knows the customer
    (its visibility model is kept from the customers service's events: asynchronous)."""
    r = await client.post("/api/v1/customers", headers=rep["headers"], json={"name": "Trần Thị Chăm", "phone": random_mobile()})
    assert r.status_code == 201, r.text
    customer = r.json()
    body = {"customer_id": customer["id"], "method": "call", "planned_at": datetime.now(UTC).isoformat(),
            "note": "Gọi hỏi thăm sau mua hàng"}

    async def created():
        attempt = await client.post("/api/v1/care-tickets", headers=rep["headers"], json=body)
        assert attempt.status_code in (201, 404), attempt.text
        return attempt.json() if attempt.status_code == 201 else None

    return customer, await eventually(created, timeout=30)


async def test_care_ticket_planned_to_done_shows_on_the_timeline(client, org):
    rep, outsider = org["rep"], org["outsider"]
    customer, ticket = await visible_customer(client, rep)
    assert ticket["status"] == "planned" and ticket["assignee_id"] == rep["id"]
    url = f"/api/v1/care-tickets/{ticket['id']}"
    today = await client.get("/api/v1/care-tickets?scope=today", headers=rep["headers"])
    assert ticket["id"] in [t["id"] for t in today.json()["items"]]

    assert (await client.get(url, headers=outsider["headers"])).status_code == 404
    assert (await client.post(f"{url}/complete", headers=outsider["headers"], json={"result": "x"})).status_code == 404
    assert ticket["id"] not in [t["id"] for t in (await client.get("/api/v1/care-tickets", headers=outsider["headers"])).json()["items"]]

    done = await client.post(f"{url}/complete", headers=rep["headers"], json={"result": "Khách hài lòng, hẹn mua thêm"})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "done" and done.headers["etag"] == '"2"'
    again = await client.post(f"{url}/cancel", headers=rep["headers"], json={})
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"

    timeline = await client.get(f"/api/v1/customers/{customer['id']}/timeline?type=care", headers=rep["headers"])
    assert timeline.status_code == 200, timeline.text
    entries = timeline.json()["items"]
    assert [(e["note"], e["data"]["care_ticket_id"]) for e in entries] == [("Khách hài lòng, hẹn mua thêm", ticket["id"])]

    async def counted():
        detail = await client.get(f"/api/v1/customers/{customer['id']}", headers=rep["headers"])
        return detail.json()["counts"]["care_tickets"] == 1

    await eventually(counted, timeout=30)


async def test_support_ticket_transitions_and_visibility(client, org):
    rep, outsider, manager = org["rep"], org["outsider"], org["manager"]
    customer, _ = await visible_customer(client, rep)
    created = await client.post("/api/v1/support-tickets", headers={**rep["headers"], "Idempotency-Key": customer["id"]},
                                json={"customer_id": customer["id"], "title": "Máy lọc nước bị rò rỉ",
                                      "channel": "Hotline", "content": "Khách báo rò nước ở vòi",
                                      "contact_name": "Chị Chăm", "contact_details": customer["phone"]})
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert ticket["status"] == "pending"
    url = f"/api/v1/support-tickets/{ticket['id']}"
    assert (await client.get(url, headers=outsider["headers"])).status_code == 404
    assert (await client.post(f"{url}/status", headers=outsider["headers"], json={"status": "processing"})).status_code == 404
    assert (await client.get(url, headers=manager["headers"])).status_code == 200

    for status, note in (("processing", "Đã cử kỹ thuật"), ("done", "Đã thay vòi")):
        r = await client.post(f"{url}/status", headers=rep["headers"], json={"status": status, "note": note})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == status
    refused = await client.post(f"{url}/status", headers=rep["headers"], json={"status": "processing"})
    assert refused.status_code == 409
    assert (refused.json()["code"], refused.json()["from"], refused.json()["to"]) == ("invalid_transition", "done", "processing")

    patched = await client.patch(url, headers={**rep["headers"], "If-Match": '"3"'},
                                 json={"customer_feedback": "Khách hài lòng"})
    assert patched.status_code == 200 and patched.headers["etag"] == '"4"'
    stale = await client.patch(url, headers={**rep["headers"], "If-Match": '"3"'}, json={"customer_feedback": "x"})
    assert stale.status_code == 412 and stale.json()["code"] == "version_conflict"

    found = await client.get("/api/v1/support-tickets?scope=mine&status=done&q=ro ri", headers=rep["headers"])
    assert [t["id"] for t in found.json()["items"]] == [ticket["id"]]
    timeline = await client.get(f"/api/v1/customers/{customer['id']}/timeline?type=support", headers=rep["headers"])
    assert [e["data"]["to"] for e in timeline.json()["items"]] == ["done", "processing"]

    assert (await client.delete(url, headers=rep["headers"])).status_code == 204
    assert (await client.get(url, headers=rep["headers"])).status_code == 404


async def test_comments_on_a_ticket_reach_its_assignee_and_the_customer(client, org):
    """A rep hands a care ticket to a colleague who does not see the customer: the colleague works
    and comments on that ticket (mentioning the rep), never on the customer; the comment shows on
    the ticket and among the customer's comments; a rep of another branch gets 404."""
    rep, colleague, outsider = org["rep"], org["rep2"], org["outsider"]
    customer, ticket = await visible_customer(client, rep)
    url = f"/api/v1/care-tickets/{ticket['id']}"
    handed = await client.patch(url, headers={**rep["headers"], "If-Match": '"1"'},
                                json={"assignee_id": colleague["id"]})
    assert handed.status_code == 200, handed.text
    assert (await client.get(f"/api/v1/customers/{customer['id']}", headers=colleague["headers"])).status_code == 404
    assert (await client.get(url, headers=colleague["headers"])).status_code == 200

    posted = await client.post(f"{url}/comments", headers=colleague["headers"],
                               json={"text": f"Khách hẹn tuần sau #goi_lai @{rep['username']}"})
    assert posted.status_code == 201, posted.text
    comment = posted.json()
    assert (comment["ticket_type"], comment["ticket_id"], comment["customer_id"]) == (
        "care_ticket", ticket["id"], customer["id"])
    assert [m["user_id"] for m in comment["mentions"]] == [rep["id"]]

    on_ticket = await client.get(f"{url}/comments", headers=colleague["headers"])
    assert [c["id"] for c in on_ticket.json()["items"]] == [comment["id"]]
    on_customer = await client.get(f"/api/v1/customers/{customer['id']}/comments", headers=rep["headers"])
    assert comment["id"] in [c["id"] for c in on_customer.json()["items"]]
    assert (await client.get(f"/api/v1/customers/{customer['id']}/comments",
                             headers=colleague["headers"])).status_code == 404
    inbox = await client.get("/api/v1/notifications?important=true", headers=rep["headers"])
    assert comment["id"] in [n["data"].get("comment_id") for n in inbox.json()["items"]]

    for attempt in (client.get(f"{url}/comments", headers=outsider["headers"]),
                    client.post(f"{url}/comments", headers=outsider["headers"], json={"text": "x"}),
                    client.get(f"/api/v1/comments/{comment['id']}", headers=outsider["headers"]),
                    client.get(f"/api/v1/support-tickets/{ticket['id']}/comments", headers=rep["headers"])):
        assert (await attempt).status_code == 404
    blank = await client.post(f"{url}/comments", headers=rep["headers"], json={"text": "  "})
    assert blank.status_code == 422 and blank.json()["code"] == "validation_error"
