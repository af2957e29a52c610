"""The customers service's configuration as the import needs it: attribute definitions (mapping by
key, the template) and statuses and groups (the template's drop-down, a group's existence)."""
from __future__ import annotations

import asyncpg

from crmkit.events import Envelope

from crm_import.consumed_events import AttributeDefinition, ConfigChanged
from crm_import.store import configuration as store


async def on_attribute(conn: asyncpg.Connection, envelope: Envelope, attribute: AttributeDefinition) -> None:
    if envelope.type == "customer_attribute.deleted":
        await store.delete_attribute(conn, attribute.key)
    else:
        await store.upsert_attribute(conn, attribute.model_dump())


async def on_config_changed(conn: asyncpg.Connection, envelope: Envelope, change: ConfigChanged) -> None:
    item = change.item
    item_id = str(item["id"] if change.kind == "group" else item.get("key") or item["id"])
    await store.upsert_item(conn, kind=change.kind, item_id=item_id, name=str(item.get("name") or item_id),
                            deleted=change.action == "deleted")
