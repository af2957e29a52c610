"""Notifications in the reader's language through the gateway (issue 8, item 14): a declined offer
tells the manager who declined (full name) and why, in Vietnamese by default and in English with
`Accept-Language: en`."""
from __future__ import annotations

from test_assignment import offer_to

from e2e_support import eventually


async def test_the_assigner_learns_who_declined_and_why_in_their_language(client, org):
    manager, rep2 = org["manager"], org["rep2"]
    made = await offer_to(client, manager, rep2)
    offer_id = made["assignments"][0]["id"]
    declined = await client.post(f"/api/v1/assignments/{offer_id}/decline", headers=rep2["headers"],
                                 json={"reason": "Khách ở Cà Mau, em không đi được"})
    assert declined.status_code == 200, declined.text

    async def told(lang: str):
        inbox = await client.get("/api/v1/notifications?important=true",
                                 headers={**manager["headers"], "Accept-Language": lang})
        assert inbox.status_code == 200, inbox.text
        return next((n for n in inbox.json()["items"] if n["type"] == "assignment_declined"
                     and n["data"]["assignment_id"] == offer_id), None)

    vietnamese = await eventually(lambda: told("vi"), timeout=30)
    assert vietnamese["title"] == "Người dùng rep2 từ chối nhận 1 khách hàng, đã trả về kho"
    assert vietnamese["body"] == "Lý do: Khách ở Cà Mau, em không đi được"
    english = await told("en")
    assert english["title"] == "Người dùng rep2 declined 1 customer, back in the pool"
    assert english["body"] == "Reason: Khách ở Cà Mau, em không đi được"
