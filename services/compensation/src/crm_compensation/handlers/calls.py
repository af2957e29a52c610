"""Call attempts counted from the interactions service's timeline (P-2), never typed in by the
requester: a call result sheet (`call.logged`) and a call entry typed in by hand (an
`interaction.recorded` call entry without `data.call_id`: outcome unknown, NULL, even for a
`call_missed`, whose sheet would have said) are one attempt each;
an entry with `data.call_id` is the timeline line of a sheet already counted."""
from __future__ import annotations

import asyncpg

from crmkit.events import Envelope

from crm_compensation.consumed_events import CallLogged, InteractionRecorded
from crm_compensation.store import calls as store

CALL_ENTRY_DIRECTIONS = {"call_in": "in", "call_out": "out", "call_missed": "in"}


async def on_call_logged(conn: asyncpg.Connection, envelope: Envelope, event: CallLogged) -> None:
    await store.add(conn, id_=event.id, customer_id=event.customer_id, direction=event.direction,
                    outcome=event.outcome, occurred_at=event.occurred_at, actor_id=event.actor_id)


async def on_interaction_recorded(conn: asyncpg.Connection, envelope: Envelope, event: InteractionRecorded) -> None:
    direction = CALL_ENTRY_DIRECTIONS.get(event.type)
    if direction is None or event.data.get("call_id"):
        return
    await store.add(conn, id_=event.id, customer_id=event.customer_id, direction=direction,
                    outcome=None,
                    occurred_at=event.occurred_at, actor_id=event.actor_id)
