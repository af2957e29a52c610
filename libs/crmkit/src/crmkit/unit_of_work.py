"""The unit of work of a use case: one connection, one transaction, and the events it publishes,
written to the outbox in that same transaction — so a change and its events commit together or not
at all.

The message context (who acts, the correlation id that ties a chain of messages together, the
message that caused this one) travels in a contextvar instead of through every call: the HTTP
middleware binds the request's correlation id, `crmkit.auth.current_principal` the caller as actor,
and the Kafka consumer the envelope it handles (its actor, its correlation id, and its id as the
causation of whatever the handler publishes). A use case only says what happened:

    async with UnitOfWork(pool, source="customers") as uow:
        row = await store.update(uow.conn, ...)
        await uow.publish(events.CustomerStatusChanged(...), subject=row["id"])

A consumer's handler joins the transaction the consumer opened for its inbox row
(`UnitOfWork.joining(conn, ...)`), so the event is applied, recorded once and its consequences
published in one commit.
"""
from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any

import asyncpg
from pydantic import BaseModel

from crmkit import events, outbox


@dataclass(frozen=True)
class MessageContext:
    actor: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None


NO_CONTEXT = MessageContext()  # frozen: safe to share as the default
_CONTEXT: ContextVar[MessageContext] = ContextVar("crm_message_context", default=NO_CONTEXT)


def message_context() -> MessageContext:
    return _CONTEXT.get()


@contextlib.contextmanager
def bound(context: MessageContext) -> Iterator[MessageContext]:
    """`context` for the duration of the block (a request, a consumed event)."""
    token = _CONTEXT.set(context)
    try:
        yield context
    finally:
        _CONTEXT.reset(token)


def bind_actor(actor: uuid.UUID | str | None) -> None:
    """The caller, once authenticated, for the rest of the request (its own task)."""
    _CONTEXT.set(replace(_CONTEXT.get(), actor=str(actor) if actor else None))


class UnitOfWork:
    """One use case's connection and transaction, and the events it publishes (`published`, in order)."""

    conn: asyncpg.Connection

    def __init__(self, pool: asyncpg.Pool | None, *, source: str, conn: asyncpg.Connection | None = None) -> None:
        self._pool, self.source = pool, source
        self._joined = conn
        self._acquired: Any = None
        self._transaction: Any = None
        self.published: list[events.Envelope] = []

    @classmethod
    def joining(cls, conn: asyncpg.Connection, *, source: str) -> UnitOfWork:
        """A unit of work inside a transaction already open on `conn` (a consumer's): it commits with it."""
        return cls(None, source=source, conn=conn)

    async def __aenter__(self) -> UnitOfWork:
        if self._joined is not None:
            self.conn = self._joined
            return self
        assert self._pool is not None
        self._acquired = self._pool.acquire()
        self.conn = await self._acquired.__aenter__()
        try:
            self._transaction = self.conn.transaction()
            await self._transaction.start()
        except BaseException:
            await self._acquired.__aexit__(None, None, None)
            raise
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        traceback: TracebackType | None) -> None:
        if self._transaction is None:
            return
        try:
            if kind is None:
                await self._transaction.commit()
            else:
                await self._transaction.rollback()
        finally:
            self._transaction = None
            await self._acquired.__aexit__(kind, error, traceback)

    async def publish(self, event: BaseModel, *, subject: uuid.UUID | str,
                      actor: uuid.UUID | str | None = None) -> events.Envelope:
        """Write a registered event to the outbox in this transaction, with the message context
        (`actor` only where someone else than the context's actor acts: a system sweep, say)."""
        context = message_context()
        topic, envelope = events.build(event, source=self.source, subject=subject,
                                       actor=actor if actor is not None else context.actor,
                                       correlation_id=context.correlation_id, causation_id=context.causation_id)
        await outbox.add(self.conn, topic, envelope)
        self.published.append(envelope)
        return envelope

    async def publish_many(self, items: list[tuple[BaseModel, uuid.UUID | str]]) -> list[events.Envelope]:
        """Several events (event, subject) in one round trip, in order."""
        context = message_context()
        built = [events.build(event, source=self.source, subject=subject, actor=context.actor,
                              correlation_id=context.correlation_id, causation_id=context.causation_id)
                 for event, subject in items]
        await outbox.add_many(self.conn, built)
        envelopes = [envelope for _, envelope in built]
        self.published.extend(envelopes)
        return envelopes
