"""A purge (Decree 13/2023): what this service keeps about purged customers loses its personal
data — every store's share, in the one transaction of the event, and the attachments' files in
the file storage the caller gives (the app's, from its settings)."""
from __future__ import annotations

import uuid

import asyncpg

from crmkit import outbox
from crmkit.consumer import Handler, typed
from crmkit.events import Envelope

from crm_interactions.consumed_events import Batch, CustomerPurged
from crm_interactions.storage import Storage
from crm_interactions.store import access, appointments, attachments, comments, notifications, tickets, timeline


async def purge(conn: asyncpg.Connection, *, ids: list[uuid.UUID], files: Storage) -> None:
    """The files are removed before the transaction commits; should it roll back, the redelivered
    purge removes the rows that remain (their files already read as gone: 404)."""
    await access.mark_purged(conn, ids=ids)
    await outbox.forget_published(conn, subjects=[str(i) for i in ids])  # interaction.recorded with notes
    for store in (timeline, tickets, comments, appointments, notifications):
        await store.erase_customers(conn, ids=ids)
    for key in await attachments.erase_customers(conn, ids=ids):
        await files.delete(key)


def on_customer_purged(files: Storage) -> Handler:
    async def handle(conn: asyncpg.Connection, envelope: Envelope, purged: CustomerPurged) -> None:
        await purge(conn, ids=[purged.customer_id], files=files)
    return typed(CustomerPurged, handle)


def on_bulk_purged(files: Storage) -> Handler:
    async def handle(conn: asyncpg.Connection, envelope: Envelope, batch: Batch) -> None:
        await purge(conn, ids=batch.ids, files=files)
    return typed(Batch, handle)
