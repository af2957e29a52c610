"""A use case's unit of work against the real PostgreSQL: the change and its events commit together
or not at all, and every event carries the message context (actor, correlation, causation) bound by
the HTTP middleware, the authenticated caller or the consumer — never threaded through the calls."""
from __future__ import annotations

import uuid

import pytest
from pydantic import BaseModel

from crmkit import events
from crmkit.unit_of_work import MessageContext, UnitOfWork, bind_actor, bound, message_context


@events.event("crmkit_test.unit_of_work_done", topic="crmkit-test.unit-of-work")
class Done(BaseModel):
    n: int


async def outbox_rows(pool) -> list[dict]:
    rows = await pool.fetch("SELECT payload FROM outbox WHERE event_type = 'crmkit_test.unit_of_work_done'"
                            " ORDER BY id")
    return [row["payload"] for row in rows]


async def test_the_change_and_its_events_commit_together_with_the_bound_context(pool):
    await pool.execute("CREATE TABLE uow_things (n int)")
    with bound(MessageContext(correlation_id="corr-1")):
        bind_actor("5b0c5b8e-7f7e-4a53-9d7a-3c0d1c6f2a10")
        async with UnitOfWork(pool, source="tests") as uow:
            await uow.conn.execute("INSERT INTO uow_things VALUES (1)")
            await uow.publish(Done(n=1), subject="thing-1")
            await uow.publish_many([(Done(n=2), "thing-2"), (Done(n=3), "thing-3")])
    assert message_context() == MessageContext()  # the request's context ended with it
    assert await pool.fetchval("SELECT count(*) FROM uow_things") == 1
    published = await outbox_rows(pool)
    assert [p["data"]["n"] for p in published] == [1, 2, 3]
    assert {(p["source"], p["actor"], p["correlation_id"], p["causation_id"]) for p in published} == {
        ("tests", "5b0c5b8e-7f7e-4a53-9d7a-3c0d1c6f2a10", "corr-1", None)}
    assert [e.subject for e in uow.published] == ["thing-1", "thing-2", "thing-3"]


async def test_a_failed_use_case_leaves_neither_change_nor_event(pool):
    await pool.execute("CREATE TABLE uow_failed (n int)")
    with pytest.raises(RuntimeError):
        async with UnitOfWork(pool, source="tests") as uow:
            await uow.conn.execute("INSERT INTO uow_failed VALUES (1)")
            await uow.publish(Done(n=1), subject="x")
            raise RuntimeError("a rule refused it")
    assert await pool.fetchval("SELECT count(*) FROM uow_failed") == 0
    assert await outbox_rows(pool) == []


async def test_a_consumers_unit_of_work_joins_its_transaction_and_names_the_cause(pool):
    cause = str(uuid.uuid4())
    with bound(MessageContext(actor="system", correlation_id="corr-2", causation_id=cause)):
        async with pool.acquire() as conn:
            transaction = conn.transaction()
            await transaction.start()
            async with UnitOfWork.joining(conn, source="tests") as uow:
                await uow.publish(Done(n=7), subject="y")
                await uow.publish(Done(n=8), subject="z", actor="someone-else")
            await transaction.rollback()  # the consumer's transaction decides
    assert await outbox_rows(pool) == []
    assert [(e.actor, e.causation_id) for e in uow.published] == [("system", cause), ("someone-else", cause)]


class Offered(BaseModel):
    assignment_id: uuid.UUID
    customer_ids: list[uuid.UUID]


async def test_a_typed_handler_gets_the_events_data_validated_once():
    from crmkit.consumer import typed
    from crmkit.events import Envelope

    seen = []

    async def on_offered(conn, envelope, event: Offered) -> None:
        seen.append((envelope.type, event))

    handler = typed(Offered, on_offered)
    ids = [uuid.uuid4(), uuid.uuid4()]
    data = {"assignment_id": str(ids[0]), "customer_ids": [str(i) for i in ids], "extra": "ignored"}
    await handler(None, Envelope(type="assignment.offered", source="assignment", subject="s", data=data))
    assert seen == [("assignment.offered", Offered(assignment_id=ids[0], customer_ids=ids))]
    with pytest.raises(ValueError):  # pydantic's ValidationError: retried, then dead-lettered
        await handler(None, Envelope(type="assignment.offered", source="assignment", subject="s", data={}))
