"""Call result sheets through the gateway (I-2): a rep posts an outgoing call rated 4 and the
customer's timeline shows a `call_out` entry with the outcome; a rep of another branch gets 404."""
from __future__ import annotations

from e2e_support import eventually, random_mobile


async def test_rep_logs_an_outgoing_call_and_an_outsider_gets_404(client, org):
    rep, outsider = org["rep"], org["outsider"]
    r = await client.post("/api/v1/customers", headers=rep["headers"],
                          json={"name": "Phạm Văn Gọi", "phone": random_mobile()})
    assert r.status_code == 201, r.text
    customer = r.json()
    url = f"/api/v1/customers/{customer['id']}/calls"
    body = {"direction": "out", "outcome": "reached", "duration_seconds": 180, "rating": 4,
            "note": "Khách đồng ý nhận báo giá"}

    async def logged():  # interactions learns the customer from the customers service's events
        attempt = await client.post(url, headers={**rep["headers"], "Idempotency-Key": f"call-{customer['id']}"},
                                    json=body)
        assert attempt.status_code in (201, 404), attempt.text
        return attempt.json() if attempt.status_code == 201 else None

    call = await eventually(logged, timeout=30)
    assert call["rating"] == 4 and call["outcome"] == "reached"

    timeline = await client.get(f"/api/v1/customers/{customer['id']}/timeline?type=call_out", headers=rep["headers"])
    assert timeline.status_code == 200, timeline.text
    entry = timeline.json()["items"][0]
    assert entry["type"] == "call_out" and entry["data"]["outcome"] == "reached" and entry["data"]["rating"] == 4
    assert entry["note"] == "Khách đồng ý nhận báo giá" and entry["actor_id"] == rep["id"]

    assert (await client.post(url, headers=outsider["headers"], json=body)).status_code == 404
    assert (await client.get(url, headers=outsider["headers"])).status_code == 404
    assert (await client.get(f"/api/v1/customers/{customer['id']}/timeline",
                             headers=outsider["headers"])).status_code == 404
