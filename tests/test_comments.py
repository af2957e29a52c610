"""Comments with hashtags and mentions through the gateway (I-3, I-4, I-9; seed 003): a comment
with `#tele` and `@rep2` lands in rep2's Important notifications, rep2 acknowledges and the
comment shows it; the hashtag search finds it for the rep and not for a rep of another branch,
who also gets 404 on the customer's comments."""
from __future__ import annotations

import asyncio
import contextlib
import json
import uuid

from e2e_support import PASSWORD, bearer, eventually, random_mobile


async def first_notification(client, headers: dict) -> dict:
    """The first `notification` event of the caller's SSE stream (through the gateway)."""
    async with client.stream("GET", "/api/v1/notifications/stream", headers=headers) as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        async for line in response.aiter_lines():
            if line.startswith("data: "):
                return json.loads(line[len("data: "):])
    raise AssertionError("the stream ended")


async def test_mention_notifies_acknowledgement_shows_and_hashtag_search_respects_visibility(client, org):
    rep, rep2, outsider = org["rep"], org["rep2"], org["outsider"]
    r = await client.post("/api/v1/customers", headers=rep["headers"],
                          json={"name": "Lê Văn Tê", "phone": random_mobile()})
    assert r.status_code == 201, r.text
    customer = r.json()
    shared = await client.post(f"/api/v1/customers/{customer['id']}/viewers", headers=rep["headers"],
                               json={"user_id": rep2["id"]})
    assert shared.status_code in (200, 201, 204), shared.text

    async def rep2_sees_it():  # interactions learns visibility from the customers service's events
        timeline = await client.get(f"/api/v1/customers/{customer['id']}/timeline", headers=rep2["headers"])
        assert timeline.status_code in (200, 404), timeline.text
        return timeline.status_code == 200

    await eventually(rep2_sees_it, timeout=30)

    stream_task = asyncio.create_task(first_notification(client, rep2["headers"]))
    await asyncio.sleep(0.5)  # the stream is open before the comment is posted
    text = f"Khách cần tư vấn gói cước #tele, nhờ @{rep2['username']} gọi lại trong hôm nay"
    posted = await client.post(f"/api/v1/customers/{customer['id']}/comments", json={"text": text},
                               headers={**rep["headers"], "Idempotency-Key": f"comment-{customer['id']}"})
    assert posted.status_code == 201, posted.text
    comment = posted.json()
    assert "tele" in comment["hashtags"]
    assert [(m["user_id"], m["acknowledged_at"]) for m in comment["mentions"]] == [(rep2["id"], None)]

    inbox = await client.get("/api/v1/notifications?important=true&unread=true", headers=rep2["headers"])
    assert inbox.status_code == 200, inbox.text
    mine = [n for n in inbox.json()["items"] if n["data"].get("comment_id") == comment["id"]]
    assert len(mine) == 1 and mine[0]["important"] and inbox.json()["unread_count"] >= 1

    streamed = await asyncio.wait_for(stream_task, 10)  # the live stream delivered the same notification
    assert streamed["id"] == mine[0]["id"] and streamed["data"]["comment_id"] == comment["id"]

    refused = await client.post(f"/api/v1/comments/{comment['id']}/acks", headers=rep["headers"])
    assert refused.status_code == 403 and refused.json()["code"] == "not_mentioned"
    acked = await client.post(f"/api/v1/comments/{comment['id']}/acks", headers=rep2["headers"])
    assert acked.status_code == 200, acked.text
    listed = await client.get(f"/api/v1/customers/{customer['id']}/comments", headers=rep["headers"])
    shown = next(c for c in listed.json()["items"] if c["id"] == comment["id"])
    assert shown["mentions"][0]["user_id"] == rep2["id"] and shown["mentions"][0]["acknowledged_at"]

    found = await client.get("/api/v1/comments?hashtag=tele", headers=rep["headers"])
    assert comment["id"] in [c["id"] for c in found.json()["items"]]
    hidden = await client.get("/api/v1/comments?hashtag=tele", headers=outsider["headers"])
    assert hidden.status_code == 200 and comment["id"] not in [c["id"] for c in hidden.json()["items"]]
    assert (await client.get(f"/api/v1/customers/{customer['id']}/comments",
                             headers=outsider["headers"])).status_code == 404


async def test_notification_streams_are_capped_per_user(client, admin, org):
    """A sixth simultaneous stream of one user is refused with 429 `too_many_streams`; closing
    one makes room again."""
    username = f"streams.{uuid.uuid4().hex[:6]}"
    r = await client.post("/api/v1/users", headers=admin, json={
        "username": username, "full_name": "Nhiều tab", "password": PASSWORD, "unit_id": org["team"],
        "roles": ["sales"]})
    assert r.status_code == 201, r.text
    headers = bearer((await client.post("/api/v1/auth/login", json={"username": username,
                                                                     "password": PASSWORD})).json())
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(5):
            opened = await stack.enter_async_context(client.stream("GET", "/api/v1/notifications/stream",
                                                                   headers=headers))
            assert opened.status_code == 200
        refused = await client.get("/api/v1/notifications/stream", headers={**headers, "Accept-Language": "en"})
        assert refused.status_code == 429 and refused.json()["code"] == "too_many_streams"
    # the five are closed: a new one opens (the service notices the disconnects at once)

    async def reopened():
        async with client.stream("GET", "/api/v1/notifications/stream", headers=headers) as again:
            return again.status_code == 200

    await eventually(reopened, timeout=10)
