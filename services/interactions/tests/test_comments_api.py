"""Comments and notifications over HTTP against real PostgreSQL (ETag / If-Match,
Idempotency-Key, limits, problem codes), and the SSE stream's generator with a real LISTEN
connection: a notification committed after the stream opened arrives, and Last-Event-ID resumes."""
from __future__ import annotations

import asyncio
import contextlib
import uuid

import asyncpg
import orjson
import pytest
from interactions_support import PATH, PRIVATE, visible_customer

from crmkit.db import create_pool, init_connection
from crmkit.testing import sign_test_token, temp_database

from crm_interactions import notification_stream
from crm_interactions.app import MIGRATIONS
from crm_interactions.store import notifications as notification_store

ELSEWHERE = "/r/x/"


async def user(app, username: str, path: str = PATH, *roles: str) -> tuple[uuid.UUID, dict]:
    user_id = uuid.uuid4()
    await app.state.pool.execute("INSERT INTO directory_users (id, username, unit_path, active, changed_at)"
                                 " VALUES ($1, $2, $3, true, now())", user_id, username, path)
    token = sign_test_token(PRIVATE, user_id=user_id, roles=roles or ("sales",), unit_id=uuid.uuid4(),
                            unit_path=path, username=username)
    return user_id, {"Authorization": f"Bearer {token}"}


async def test_comment_mention_ack_and_notifications_over_http(app, api):
    rep, as_rep = await user(app, "rep1")
    rep2, as_rep2 = await user(app, "rep2", ELSEWHERE)
    _, as_outsider = await user(app, "out", ELSEWHERE)
    _, as_manager = await user(app, "boss", "/r/b/", "manager")
    customer_id = await visible_customer(app, rep, [rep2])

    body = {"text": "Khách muốn gọi lại #Tele @rep2"}
    posted = await api.post(f"/api/v1/customers/{customer_id}/comments", json=body,
                            headers={**as_rep, "Idempotency-Key": "c1"})
    assert posted.status_code == 201, posted.text
    again = await api.post(f"/api/v1/customers/{customer_id}/comments", json=body,
                           headers={**as_rep, "Idempotency-Key": "c1"})
    comment = posted.json()
    assert again.json()["id"] == comment["id"] and posted.headers["etag"] == '"1"'
    assert comment["hashtags"] == ["tele"] and comment["mentions"][0]["username"] == "rep2"
    too_long = await api.post(f"/api/v1/customers/{customer_id}/comments", json={"text": "x" * 5001}, headers=as_rep)
    assert too_long.status_code == 422
    assert (await api.post(f"/api/v1/customers/{customer_id}/comments", json=body,
                           headers=as_outsider)).status_code == 404

    inbox = (await api.get("/api/v1/notifications?important=true&unread=true", headers=as_rep2)).json()
    assert inbox["unread_count"] == 1 and inbox["items"][0]["data"]["comment_id"] == comment["id"]
    assert (await api.get("/api/v1/notifications", headers=as_outsider)).json()["items"] == []
    not_mine = await api.post(f"/api/v1/comments/{comment['id']}/acks", headers=as_rep)
    assert (not_mine.status_code, not_mine.json()["code"]) == (403, "not_mentioned")
    acked = await api.post(f"/api/v1/comments/{comment['id']}/acks", headers=as_rep2)
    assert acked.status_code == 200 and acked.json()["mentions"][0]["acknowledged_at"]
    shown = (await api.get(f"/api/v1/customers/{customer_id}/comments", headers=as_rep)).json()["items"]
    assert shown[0]["mentions"][0]["acknowledged_at"] == acked.json()["mentions"][0]["acknowledged_at"]

    read = await api.post(f"/api/v1/notifications/{inbox['items'][0]['id']}/read", headers=as_outsider)
    assert read.status_code == 404
    assert (await api.post("/api/v1/notifications/read-all", headers=as_rep2)).json() == {"marked": 1}
    assert (await api.get("/api/v1/notifications?unread=true", headers=as_rep2)).json()["unread_count"] == 0

    found = (await api.get("/api/v1/comments?hashtag=tele", headers=as_rep)).json()["items"]
    assert [c["id"] for c in found] == [comment["id"]]
    assert (await api.get("/api/v1/comments?hashtag=tele", headers=as_outsider)).json()["items"] == []

    assert (await api.post(f"/api/v1/comments/{comment['id']}/read", headers=as_rep2)).json()["read"] is True
    missing = await api.patch(f"/api/v1/comments/{comment['id']}", json={"text": "sửa"}, headers=as_rep)
    assert missing.status_code == 428
    edited = await api.patch(f"/api/v1/comments/{comment['id']}", json={"text": "sửa #mới"},
                             headers={**as_rep, "If-Match": '"1"'})
    assert edited.status_code == 200 and edited.headers["etag"] == '"2"' and edited.json()["hashtags"] == ["moi"]
    assert (await api.delete(f"/api/v1/comments/{comment['id']}", headers=as_rep2)).status_code == 403
    assert (await api.get(f"/api/v1/customers/{customer_id}/comments?deleted=true",
                          headers=as_rep)).status_code == 403
    assert (await api.delete(f"/api/v1/comments/{comment['id']}", headers=as_rep)).status_code == 204
    deleted = (await api.get(f"/api/v1/customers/{customer_id}/comments?deleted=true", headers=as_manager)).json()
    assert [c["id"] for c in deleted["items"]] == [comment["id"]]


async def test_notification_titles_follow_accept_language(app, api):
    """Issue 8: titles were stored as rendered Vietnamese; they are rendered when read, in the
    reader's language (the list, marking one read, and the SSE stream's frames)."""
    rep, as_rep = await user(app, "lan")
    rep2, as_rep2 = await user(app, "minh", ELSEWHERE)
    customer_id = await visible_customer(app, rep, [rep2])
    posted = await api.post(f"/api/v1/customers/{customer_id}/comments", json={"text": "@minh gọi giúp"},
                            headers=as_rep)
    assert posted.status_code == 201, posted.text
    vietnamese = (await api.get("/api/v1/notifications", headers=as_rep2)).json()["items"][0]
    assert vietnamese["title"] == "@lan nhắc đến bạn trong một bình luận"
    english = (await api.get("/api/v1/notifications", headers={**as_rep2, "Accept-Language": "en-US,en;q=0.9"})
               ).json()["items"][0]
    assert english["title"] == "@lan mentioned you in a comment" and english["body"] == "@minh gọi giúp"
    assert english["data"]["author_username"] == "lan" and english["type"] == "mention"
    read = await api.post(f"/api/v1/notifications/{english['id']}/read", headers={**as_rep2, "Accept-Language": "en"})
    assert read.json()["title"] == "@lan mentioned you in a comment"
    row = await app.state.pool.fetchrow("SELECT * FROM notifications WHERE id = $1", english["id"])
    frame = notification_stream.format_event(dict(row), "en")
    assert orjson.loads(frame.split("data: ", 1)[1])["title"] == "@lan mentioned you in a comment"


async def test_stream_delivers_a_notification_committed_after_it_opened():
    async with temp_database(MIGRATIONS) as dsn:
        pool = await create_pool(dsn, min_size=1, max_size=4)

        async def connect() -> asyncpg.Connection:
            conn = await asyncpg.connect(dsn)
            await init_connection(conn)
            return conn

        hub = notification_stream.NotificationHub(connect)
        me, someone_else = uuid.uuid4(), uuid.uuid4()

        async def notify(user_id: uuid.UUID, title: str) -> int:
            async with pool.acquire() as conn:
                return (await notification_store.insert(conn, user_id=user_id, type_="mention", important=True,
                                                        title=title, body=None, data={}))["id"]

        try:
            old = await notify(me, "trước khi mở")
            events = notification_stream.stream(pool, hub, user_id=me, last_event_id=None, heartbeat=0.2)
            assert (await asyncio.wait_for(anext(events), 5)).startswith("retry:")
            await notify(someone_else, "không phải của tôi")
            new = await notify(me, "mới")
            frames = []
            while not frames or frames[-1].startswith(":"):
                frames.append(await asyncio.wait_for(anext(events), 1.0))  # within a second of the commit
            frame = frames[-1]
            assert frame.startswith(f"id: {new}\nevent: notification\n")
            assert orjson.loads(frame.split("data: ", 1)[1])["title"] == "mới"
            heartbeat = await asyncio.wait_for(anext(events), 1.0)
            assert heartbeat == ": heartbeat\n\n"
            await events.aclose()

            resumed = notification_stream.stream(pool, hub, user_id=me, last_event_id=old - 1, heartbeat=5)
            await anext(resumed)
            ids = [int((await asyncio.wait_for(anext(resumed), 1.0)).split("\n")[0][4:]) for _ in range(2)]
            assert ids == [old, new]
            await resumed.aclose()

            # a stream whose token expired or whose user changed ends at its next turn
            still = [True]
            ending = notification_stream.stream(pool, hub, user_id=me, last_event_id=None, heartbeat=0.2,
                                                allowed=lambda: still[0])
            await anext(ending)
            assert hub.streams_of(me) == 1
            still[0] = False
            with pytest.raises(StopAsyncIteration):
                while True:
                    await asyncio.wait_for(anext(ending), 1.0)
            assert hub.streams_of(me) == 0
        finally:
            await hub.close()
            await pool.close()


async def test_a_users_streams_are_capped_across_processes():
    """Two hubs on one database, as two processes of the service: a user's open streams count in
    both; the slot of a closed stream, or of a process whose listener session ended, is free again."""
    async with temp_database(MIGRATIONS) as dsn:
        pool = await create_pool(dsn, min_size=1, max_size=4)

        async def connect() -> asyncpg.Connection:
            return await asyncpg.connect(dsn)

        first, second = notification_stream.NotificationHub(connect), notification_stream.NotificationHub(connect)
        me, other = uuid.uuid4(), uuid.uuid4()
        opened = []
        try:
            for hub in (first, second):  # one slot left after these
                events = notification_stream.stream(pool, hub, user_id=me, last_event_id=None, slots=3)
                assert (await anext(events)).startswith("retry:") and hub.streams_of(me) == 1
                opened.append(events)
            assert await first.open_streams(me, 3) == await second.open_streams(me, 3) == 2
            third = notification_stream.stream(pool, first, user_id=me, last_event_id=None, slots=3)
            await anext(third)
            assert await second.open_streams(me, 3) == 3 and await second.open_streams(other, 3) == 0
            refused = notification_stream.stream(pool, second, user_id=me, last_event_id=None, slots=3)
            assert (await anext(refused)).startswith("retry:")  # all three slots taken: it ends at once
            with pytest.raises(StopAsyncIteration):
                await anext(refused)
            await opened[0].aclose()  # the first process's first stream ends (its slot freed by a task)
            assert await _settles_at(second, me, 2)
            await second.close()  # the second process dies: its session's slot goes with it (as the backend exits)
            assert await _settles_at(first, me, 1)
        finally:
            for events in (*opened, third):
                with contextlib.suppress(Exception):
                    await events.aclose()
            await first.close()
            await second.close()
            await pool.close()


async def _settles_at(hub, user_id: uuid.UUID, streams: int) -> bool:
    for _ in range(50):
        if await hub.open_streams(user_id, 3) == streams:
            return True
        await asyncio.sleep(0.1)
    return False
