"""The user directory read model fed by identity events (real PostgreSQL)."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from crmkit import directory
from crmkit.events import Envelope

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def user_event(type_: str, user_id: uuid.UUID, at: datetime, **fields) -> Envelope:
    data = {"id": str(user_id), "username": "lan", "full_name": "Trần Thị Lan", "unit_id": None,
            "unit_path": None, "roles": ["sales"], "active": True, **fields}
    return Envelope(type=type_, source="gateway", subject=str(user_id), occurred_at=at, data=data)


async def apply(pool, envelope: Envelope) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await directory.HANDLERS[envelope.type](conn, envelope)


async def test_user_events_newest_wins(pool):
    user_id, unit_id = uuid.uuid4(), uuid.uuid4()
    await apply(pool, user_event("user.created", user_id, T0, unit_id=str(unit_id), unit_path=f"/r/{unit_id}/"))
    await apply(pool, user_event("user.updated", user_id, T0 + timedelta(minutes=2), full_name="Lan T.",
                                 roles=["sales", "manager"], unit_id=str(unit_id), unit_path=f"/r/{unit_id}/"))
    # an older event arriving late changes nothing
    await apply(pool, user_event("user.updated", user_id, T0 + timedelta(minutes=1), full_name="Old name"))
    async with pool.acquire() as conn:
        row = await directory.get_user(conn, user_id)
    assert row["full_name"] == "Lan T."
    assert row["roles"] == ["sales", "manager"]
    assert row["unit_id"] == unit_id and row["active"]

    await apply(pool, user_event("user.deactivated", user_id, T0 + timedelta(minutes=3), active=False,
                                 unit_id=str(unit_id), unit_path=f"/r/{unit_id}/"))
    async with pool.acquire() as conn:
        assert not (await directory.get_user(conn, user_id))["active"]
        assert await directory.get_user(conn, uuid.uuid4()) is None


async def test_unit_moves_update_member_paths(pool):
    unit_id, other_unit = uuid.uuid4(), uuid.uuid4()
    member, outsider = uuid.uuid4(), uuid.uuid4()
    await apply(pool, user_event("user.created", member, T0, unit_id=str(unit_id), unit_path=f"/a/{unit_id}/"))
    await apply(pool, user_event("user.created", outsider, T0, unit_id=str(other_unit),
                                 unit_path=f"/a/{other_unit}/"))
    await apply(pool, Envelope(type="unit.updated", source="gateway", subject=str(unit_id),
                               data={"id": str(unit_id), "path": f"/b/{unit_id}/"}))
    async with pool.acquire() as conn:
        assert (await directory.get_user(conn, member))["unit_path"] == f"/b/{unit_id}/"
        assert (await directory.get_user(conn, outsider))["unit_path"] == f"/a/{other_unit}/"


async def test_units_name_and_path_newest_wins(pool):
    unit_id = uuid.uuid4()

    def unit_event(type_: str, at: datetime, **fields) -> Envelope:
        return Envelope(type=type_, source="gateway", subject=str(unit_id), occurred_at=at,
                        data={"id": str(unit_id), "name": "Chi nhánh Hà Nội", "path": f"/a/{unit_id}/", **fields})

    await apply(pool, unit_event("unit.created", T0))
    await apply(pool, unit_event("unit.updated", T0 + timedelta(minutes=2), name="CN Hà Nội", path=f"/b/{unit_id}/"))
    await apply(pool, unit_event("unit.updated", T0 + timedelta(minutes=1), name="Old name"))  # late: no change
    async with pool.acquire() as conn:
        unit = await directory.get_unit(conn, unit_id)
        assert (unit["name"], unit["path"]) == ("CN Hà Nội", f"/b/{unit_id}/")
        assert await directory.get_unit(conn, uuid.uuid4()) is None
