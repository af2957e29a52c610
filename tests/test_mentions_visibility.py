"""A mention never leaks a comment (issue 8, item 3), through the gateway: mentioning a colleague
who may not see the customer is refused with 422 naming them (with the offer to add them as
viewers, since the author owns the customer), an unknown username is reported, nobody gets a
notification; once added as a viewer, the colleague is mentioned and can open what they were
told about."""
from __future__ import annotations

import uuid

from e2e_support import eventually, new_user, random_mobile


async def test_a_mention_reaches_only_who_may_read_the_comment(client, admin, org):
    # a colleague of the test's own: a late notification of an earlier test to the session's rep2
    # would change the inbox read here as "nobody got a notification"
    rep = org["rep"]
    rep2 = await new_user(client, admin, username=f"mention.{uuid.uuid4().hex[:6]}", full_name="Người được nhắc",
                          unit_id=org["team"], roles=["sales"])
    r = await client.post("/api/v1/customers", headers=rep["headers"],
                          json={"name": "Phạm Thị Hoa", "phone": random_mobile()})
    assert r.status_code == 201, r.text
    customer_id = r.json()["id"]
    url = f"/api/v1/customers/{customer_id}/comments"
    before = (await client.get("/api/v1/notifications", headers=rep2["headers"])).json()["items"]
    text = f"@{rep2['username']} gọi chị Hoa số 0901234567 giúp, cả @khong.co.ai"

    async def refused():  # interactions learns of the customer (404 until then) and of the colleague (events)
        attempt = await client.post(url, json={"text": text}, headers={**rep["headers"], "Accept-Language": "en"})
        assert attempt.status_code in (404, 422), attempt.text
        if attempt.status_code == 404 or rep2["username"] in attempt.json().get("unknown_usernames", []):
            return None
        return attempt.json()

    problem = await eventually(refused, timeout=30)
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [
        ("text", "unknown_mention"), ("text", "mention_not_visible_shareable")]
    assert rep2["username"] in problem["errors"][1]["message"] and "khong.co.ai" in problem["errors"][0]["message"]
    assert problem["not_visible"] == [{"user_id": rep2["id"], "username": rep2["username"]}]
    assert problem["can_add_viewers"] is True and problem["unknown_usernames"] == ["khong.co.ai"]
    assert (await client.get("/api/v1/notifications", headers=rep2["headers"])).json()["items"] == before
    assert (await client.get(url, headers=rep["headers"])).json()["items"] == []

    async def shared():  # the customers service learns of the colleague from events too (422 until then)
        r = await client.request(problem["add_viewer"]["method"], problem["add_viewer"]["href"],
                                 json={"user_id": rep2["id"]}, headers=rep["headers"])
        assert r.status_code in (200, 201, 422), r.text
        return r.status_code in (200, 201)

    await eventually(shared, timeout=30)
    text = f"@{rep2['username']} gọi chị Hoa giúp"

    async def posted():  # the new viewer reaches interactions asynchronously
        attempt = await client.post(url, json={"text": text}, headers=rep["headers"])
        assert attempt.status_code in (201, 422), attempt.text
        return attempt.json() if attempt.status_code == 201 else None

    comment = await eventually(posted, timeout=30)
    assert [m["user_id"] for m in comment["mentions"]] == [rep2["id"]]
    inbox = (await client.get("/api/v1/notifications", headers=rep2["headers"])).json()["items"]
    [told] = [n for n in inbox if n["data"].get("comment_id") == comment["id"]]
    opened = await client.get(f"/api/v1/comments/{comment['id']}", headers=rep2["headers"])
    assert opened.status_code == 200
    assert (await client.post(f"/api/v1/comments/{comment['id']}/acks", headers=rep2["headers"])).status_code == 200
    assert told["important"]
