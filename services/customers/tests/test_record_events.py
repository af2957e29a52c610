"""The specific events of single-customer writes (labels, owner, deletion) and the duplicate-phone
answer for soft-deleted records (real PostgreSQL)."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, NotFound, VersionConflict

from crm_customers.handlers.customers import create_customer, delete_customer, get_customer, update_customer

TEAM = "/root/branch/team/"


def person(path: str = TEAM, *roles: str) -> Principal:
    return Principal(user_id=uuid.uuid4(), username="u", unit_id=uuid.uuid4(), unit_path=path,
                     roles=frozenset(roles or ("sales",)))


async def events_of(pool, type_: str) -> list[dict]:
    return [r["payload"]["data"] for r in await pool.fetch(
        "SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", type_)]


async def test_an_edit_of_labels_publishes_what_was_added_and_removed(pool):
    me = person()
    customer = await create_customer(pool, principal=me, name="Lê Văn Tâm", phone="0912000111", labels=["hot", "regular"])
    await update_customer(pool, principal=me, customer_id=customer["id"], expected_version=1,
                          changes={"labels": ["regular", "premium"]})
    [changed] = await events_of(pool, "customer.labels_changed")
    assert changed["added"] == ["premium"] and changed["removed"] == ["hot"] and changed["version"] == 2
    await update_customer(pool, principal=me, customer_id=customer["id"], expected_version=2, changes={"note": "x"})
    assert len(await events_of(pool, "customer.labels_changed")) == 1  # no label change, no event


async def test_giving_a_customer_to_another_rep_publishes_the_owner_change(pool):
    manager, rep = person("/root/branch/", "manager"), person()
    await pool.execute(
        "INSERT INTO directory_users (id, username, unit_id, unit_path, roles, active, changed_at)"
        " VALUES ($1, 'rep', $2, $3, '{sales}', true, $4)", rep.user_id, rep.unit_id, TEAM, datetime.now(UTC))
    customer = await create_customer(pool, principal=manager, name="Phan Thị Hoa", phone="0912000222")
    await update_customer(pool, principal=manager, customer_id=customer["id"], expected_version=1,
                          changes={"owner_id": rep.user_id})
    [moved] = await events_of(pool, "customer.owner_changed")
    assert moved["from_owner_id"] is None and moved["to_owner_id"] == str(rep.user_id)
    assert moved["owner_unit_path"] == TEAM and moved["reason"] == "customer.updated"


async def test_delete_one_customer_hides_it_and_publishes_customer_deleted(pool):
    owner, colleague, admin = person(), person(), person("/root/", "admin")
    customer = await create_customer(pool, principal=owner, name="Đỗ Minh Khoa", phone="0912000333")
    with pytest.raises(NotFound):
        await delete_customer(pool, principal=colleague, customer_id=customer["id"], expected_version=None)
    with pytest.raises(VersionConflict):
        await delete_customer(pool, principal=owner, customer_id=customer["id"], expected_version=7)
    await delete_customer(pool, principal=owner, customer_id=customer["id"], expected_version=1)
    with pytest.raises(NotFound):
        await get_customer(pool, principal=admin, customer_id=customer["id"])
    [deleted] = await events_of(pool, "customer.deleted")
    assert deleted["customer_id"] == str(customer["id"]) and deleted["version"] == 2
    assert deleted["deleted_by"] == str(owner.user_id)


async def test_the_phone_of_a_deleted_customer_is_named_to_admins_only(pool):
    owner, admin = person(), person("/root/", "admin")
    customer = await create_customer(pool, principal=owner, name="Vũ Thu Hà", phone="0912000444")
    await delete_customer(pool, principal=owner, customer_id=customer["id"], expected_version=None)
    with pytest.raises(Conflict) as for_owner:
        await create_customer(pool, principal=owner, name="Vũ Hà", phone="0912 000 444")
    assert for_owner.value.code == "phone_exists" and for_owner.value.details == {}
    with pytest.raises(Conflict) as for_admin:
        await create_customer(pool, principal=admin, name="Vũ Hà", phone="+84912000444")
    assert for_admin.value.details == {"existing_id": str(customer["id"]), "existing_deleted": True}
