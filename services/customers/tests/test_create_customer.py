"""Creating customers against real PostgreSQL: normalised unique phone, outbox in the same transaction."""
from __future__ import annotations

import uuid

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, NotFound

from crm_customers.handlers.customers import create_customer, get_customer


def rep(path: str = "/root/team/", *roles: str) -> Principal:
    return Principal(user_id=uuid.uuid4(), username="rep", unit_id=uuid.uuid4(), unit_path=path,
                     roles=frozenset(roles or ("sales",)))


async def test_creation_writes_the_row_and_its_event_together(pool):
    me = rep()
    row = await create_customer(pool, principal=me, name="  Nguyễn Văn An ", phone="01689 123 456")
    assert row["phone"] == "+84389123456" and row["name"] == "Nguyễn Văn An"
    assert row["owner_id"] == me.user_id and row["owner_unit_path"] == "/root/team/"
    event = await pool.fetchrow("SELECT topic, key, payload FROM outbox WHERE event_type = 'customer.created'")
    assert event["topic"] == "crm.customers" and event["key"] == str(row["id"])
    assert event["payload"]["data"]["phone"] == "+84389123456"


async def test_duplicate_phone_names_the_record_only_when_visible(pool):
    owner = rep()
    first = await create_customer(pool, principal=owner, name="A", phone="0912345678")
    with pytest.raises(Conflict) as seen:
        await create_customer(pool, principal=owner, name="B", phone="+84 912 345 678")
    assert seen.value.code == "phone_exists" and seen.value.details == {"existing_id": str(first["id"])}
    with pytest.raises(Conflict) as hidden:
        await create_customer(pool, principal=rep("/elsewhere/"), name="C", phone="84912345678")
    assert hidden.value.details == {}
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 1


async def test_read_by_id_is_404_for_those_who_may_not_see(pool):
    owner = rep("/root/branch/team/")
    row = await create_customer(pool, principal=owner, name="A", phone="0912345679")
    assert (await get_customer(pool, principal=owner, customer_id=row["id"]))["id"] == row["id"]
    assert await get_customer(pool, principal=rep("/root/branch/", "manager"), customer_id=row["id"])
    for stranger in (rep("/root/branch/team/"), rep("/root/other/", "manager")):
        with pytest.raises(NotFound):
            await get_customer(pool, principal=stranger, customer_id=row["id"])
