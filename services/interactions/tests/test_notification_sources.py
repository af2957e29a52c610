"""I-9 sources: assignment, compensation and import events become notifications, once per event,
through the consumer's inbox against a real database."""
import asyncio
import uuid

import pytest

from crmkit.auth import Principal
from crmkit.consumer import EventConsumer
from crmkit.events import Envelope

from crm_interactions.consumers import CONSUMERS
from crm_interactions.handlers import notifications


def _spec(topic: str):
    return next(s for s in CONSUMERS if topic in s.topics)


def _consumer(pool, topic: str) -> EventConsumer:
    spec = _spec(topic)
    return EventConsumer(name=spec.name, pool=pool, bootstrap="unused:0", topics=spec.topics, handlers=spec.handlers)


async def _deliver(pool, topic: str, type_: str, data: dict, envelope: Envelope | None = None) -> Envelope:
    consumer = _consumer(pool, topic)
    envelope = envelope or Envelope(type=type_, source="test", subject="s", data=data)
    await consumer.handle(envelope, consumer.handlers[type_])
    return envelope


async def _notifications(pool, user_id):
    async with pool.acquire() as conn:
        return [dict(r) for r in await conn.fetch(
            "SELECT type, important, title, body, data, read_at FROM notifications WHERE user_id = $1 ORDER BY id",
            user_id)]


ASSIGNEE, ASSIGNER, OWNER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
CUSTOMERS = [str(uuid.uuid4()) for _ in range(3)]


def _assignment(**extra):
    return {"assignment_id": str(uuid.uuid4()), "assignee_id": str(ASSIGNEE), "assigned_by": str(ASSIGNER),
            "customer_ids": CUSTOMERS, "job_id": "job-1", **extra}


CASES = [
    # (topic, event type, payload, recipient, notification type, important, words in the title)
    ("crm.assignment", "assignment.offered", _assignment(), ASSIGNEE, "assignment_offered", True,
     "Bạn được giao 3 khách hàng"),
    ("crm.assignment", "assignment.direct", _assignment(), ASSIGNEE, "assignment_direct", False,
     "Bạn được giao 3 khách hàng"),
    ("crm.assignment", "assignment.declined", _assignment(), ASSIGNER, "assignment_declined", True, "từ chối"),
    ("crm.assignment", "assignment.expired", _assignment(), ASSIGNER, "assignment_expired", True, "quá hạn"),
    ("crm.assignment", "assignment.recalled", _assignment(), ASSIGNEE, "assignment_recalled", False, "thu hồi"),
    ("crm.assignment", "assignment.sla_warning", _assignment(recall_at="2026-11-24T00:00:00Z"), ASSIGNEE,
     "assignment_sla_warning", True, "sắp bị thu hồi"),
    ("crm.compensation", "compensation.request_decided",
     {"owner_id": str(OWNER), "request_id": "r1", "decision": "approved", "note": "Sai số thật"}, OWNER,
     "compensation_decided", True, "được duyệt"),
    ("crm.compensation", "compensation.request_decided",
     {"owner_id": str(OWNER), "request_id": "r2", "decision": "rejected", "note": "Ngoài hạn"}, OWNER,
     "compensation_decided", True, "bị từ chối"),
    ("crm.compensation", "compensation.batch_completed", {"owner_id": str(OWNER), "batch_id": "b1"}, OWNER,
     "compensation_batch_completed", False, "xử lý xong"),
    ("crm.imports", "import.finished",
     {"user_id": str(OWNER), "job_id": "j1", "rows_ok": 98, "rows_failed": 2, "result_file_url": "/x.xlsx"},
     OWNER, "import_finished", False, "98 dòng thành công, 2 dòng lỗi"),
    ("crm.imports", "import.failed", {"user_id": str(OWNER), "job_id": "j2", "error": "file hỏng"}, OWNER,
     "import_failed", True, "thất bại"),
]


@pytest.mark.parametrize("topic,type_,payload,recipient,ntype,important,title", CASES, ids=[c[1] for c in CASES])
async def test_each_event_notifies_its_user_once(pool, topic, type_, payload, recipient, ntype, important, title):
    envelope = await _deliver(pool, topic, type_, payload)
    await _deliver(pool, topic, type_, payload, envelope)  # redelivery: the inbox absorbs it
    rows = await _notifications(pool, recipient)
    assert len(rows) == 1
    row = rows[0]
    assert row["type"] == ntype and row["important"] is important and row["read_at"] is None
    assert title in row["title"]
    assert row["data"]["event_id"] == str(envelope.id)
    others = {ASSIGNEE, ASSIGNER, OWNER} - {recipient}
    for other in others:
        assert await _notifications(pool, other) == []


async def test_data_serves_an_english_client(pool):
    await _deliver(pool, "crm.assignment", "assignment.offered", _assignment(expires_at="2026-11-24T00:00:00Z"))
    await _deliver(pool, "crm.compensation", "compensation.request_decided",
                   {"owner_id": str(OWNER), "request_id": "r1", "decision": "rejected", "note": "Ngoài hạn"})
    await _deliver(pool, "crm.imports", "import.finished",
                   {"user_id": str(OWNER), "job_id": "j1", "rows_ok": 5, "rows_failed": 1,
                    "result_file_url": "/api/v1/imports/j1/result"})
    offered = (await _notifications(pool, ASSIGNEE))[0]["data"]
    assert offered["count"] == 3 and offered["customer_ids"] == CUSTOMERS and offered["job_id"] == "job-1"
    assert offered["expires_at"] == "2026-11-24T00:00:00Z"
    decided, finished = await _notifications(pool, OWNER)
    assert decided["data"]["decision"] == "rejected" and decided["data"]["note"] == "Ngoài hạn"
    assert decided["body"] == "Ngoài hạn"
    assert finished["data"] == {"job_id": "j1", "rows_ok": 5, "rows_failed": 1,
                                "result_file_url": "/api/v1/imports/j1/result",
                                "event_id": finished["data"]["event_id"]}


async def _read(pool, user_id, lang):
    principal = Principal(user_id=user_id, username="u", unit_id=None, unit_path="/r/", roles=frozenset({"sales"}))
    return (await notifications.list_notifications(pool, principal=principal, lang=lang))[0]


async def test_a_decline_names_who_declined_and_why_in_both_languages(pool):
    """Issue 8: the assigner learns who declined (full name, else username) and the reason."""
    named, plain = uuid.uuid4(), uuid.uuid4()
    await pool.execute("INSERT INTO directory_users (id, username, full_name, changed_at) VALUES"
                       " ($1, 'lan.nguyen', 'Nguyễn Thị Lan', now()), ($2, 'minh.tran', '', now())", named, plain)
    await _deliver(pool, "crm.assignment", "assignment.declined",
                   _assignment(assignee_id=str(named), reason="Khách ở xa quá, không đi được"))
    await _deliver(pool, "crm.assignment", "assignment.declined", _assignment(assignee_id=str(plain), reason=None))
    without_reason, with_reason = await _read(pool, ASSIGNER, "vi")
    assert with_reason["title"] == "Nguyễn Thị Lan từ chối nhận 3 khách hàng, đã trả về kho"
    assert with_reason["body"] == "Lý do: Khách ở xa quá, không đi được"
    assert with_reason["data"]["reason"] == "Khách ở xa quá, không đi được"
    assert (without_reason["title"], without_reason["body"]) == (
        "minh.tran từ chối nhận 3 khách hàng, đã trả về kho", None)
    without_reason, with_reason = await _read(pool, ASSIGNER, "en")
    assert with_reason["title"] == "Nguyễn Thị Lan declined 3 customers, back in the pool"
    assert with_reason["body"] == "Reason: Khách ở xa quá, không đi được"
    assert without_reason["title"] == "minh.tran declined 3 customers, back in the pool"


async def test_an_offer_withdrawn_from_a_deactivated_rep_says_so(pool):
    """Issue 13: a deactivated rep's open offers return to the pool; the assigner learns why."""
    rep = uuid.uuid4()
    await pool.execute("INSERT INTO directory_users (id, username, full_name, changed_at) VALUES"
                       " ($1, 'hoa.le', 'Lê Thị Hoa', now())", rep)
    await _deliver(pool, "crm.assignment", "assignment.expired",
                   _assignment(assignee_id=str(rep), reason="assignee_deactivated"))
    await _deliver(pool, "crm.assignment", "assignment.expired", _assignment(assignee_id=str(rep)))
    expired, withdrawn = await _read(pool, ASSIGNER, "vi")  # newest first
    assert withdrawn["title"] == "Lê Thị Hoa đã ngừng hoạt động: 3 khách hàng chưa nhận đã trả về kho"
    assert expired["title"] == "3 khách hàng quá hạn nhận, đã trả về kho"
    _, withdrawn = await _read(pool, ASSIGNER, "en")
    assert withdrawn["title"] == "Lê Thị Hoa was deactivated: 3 customers not yet accepted are back in the pool"


async def test_titles_follow_the_readers_language(pool):
    await _deliver(pool, "crm.assignment", "assignment.offered", _assignment(customer_ids=CUSTOMERS[:1]))
    await _deliver(pool, "crm.imports", "import.finished",
                   {"user_id": str(OWNER), "job_id": "j1", "rows_ok": 5, "rows_failed": 1, "file_name": "ds.xlsx"})
    [offered] = await _read(pool, ASSIGNEE, "en")
    assert offered["title"] == "You were assigned 1 customer — accept or decline"
    [offered] = await _read(pool, ASSIGNEE, "vi")
    assert offered["title"] == "Bạn được giao 1 khách hàng — cần nhận hoặc từ chối"
    [finished] = await _read(pool, OWNER, "en")
    assert (finished["title"], finished["body"]) == ("Import finished: 5 rows imported, 1 failed", "ds.xlsx")
    # a row written before its parameters were stored shows its stored title
    await pool.execute("INSERT INTO notifications (user_id, type, title, data) VALUES"
                       " ($1, 'mention', '@cu nhắc đến bạn trong một bình luận', '{}'),"
                       " ($1, 'something_new', 'Tiêu đề cũ', '{}')", OWNER)
    newest, older, _ = await _read(pool, OWNER, "en")
    assert (newest["title"], older["title"]) == ("Tiêu đề cũ", "@cu nhắc đến bạn trong một bình luận")


@pytest.mark.parametrize("topic,type_,payload", [
    ("crm.assignment", "assignment.offered", {"assignment_id": str(uuid.uuid4()), "customer_ids": CUSTOMERS}),
    ("crm.assignment", "assignment.declined", _assignment(assigned_by=None)),
    ("crm.assignment", "assignment.direct", _assignment(customer_ids=None)),
    ("crm.assignment", "assignment.recalled", _assignment(assignee_id="not-a-uuid")),
    ("crm.compensation", "compensation.request_decided", {"owner_id": str(OWNER), "decision": "maybe"}),
    ("crm.compensation", "compensation.batch_completed", {"batch_id": "b1"}),
    ("crm.imports", "import.finished", {"user_id": str(OWNER)}),
])
async def test_incomplete_payload_is_skipped_not_dead_lettered(pool, topic, type_, payload):
    handled = await _consumer(pool, topic).handle(
        Envelope(type=type_, source="test", subject="s", data=payload), _spec(topic).handlers[type_])
    assert handled is True  # no exception: nothing to retry, nothing for the DLQ
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM notifications") == 0


async def test_insert_wakes_the_stream(pool):
    async with pool.acquire() as conn:
        received = []

        def listener(*args):
            received.append(args[-1])

        await conn.add_listener("crm_notifications", listener)
        await _deliver(pool, "crm.assignment", "assignment.sla_warning", _assignment())
        for _ in range(50):
            if received:
                break
            await asyncio.sleep(0.02)
        await conn.remove_listener("crm_notifications", listener)
    assert received, "no NOTIFY on crm_notifications"
    assert str(ASSIGNEE) in received[0]


def test_every_mapped_event_is_subscribed():
    subscribed = {t for s in CONSUMERS for t in s.topics}
    assert {"crm.assignment", "crm.compensation", "crm.imports"} <= subscribed
    assert "assignment.accepted" not in _spec("crm.assignment").handlers
