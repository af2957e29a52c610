"""Referral tree (C-12): descendants breadth first, visibility (hidden connectors, cut branches),
bounded depth and size."""
from __future__ import annotations

import uuid

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import NotFound

from crm_customers.handlers.customers import create_customer
from crm_customers.handlers.referrals import referral_tree

ADMIN = Principal(user_id=uuid.uuid4(), username="admin", unit_id=None, unit_path="", roles=frozenset({"admin"}))
A = Principal(user_id=uuid.uuid4(), username="a", unit_id=uuid.uuid4(), unit_path="/r/t1/", roles=frozenset({"sales"}))
B = Principal(user_id=uuid.uuid4(), username="b", unit_id=uuid.uuid4(), unit_path="/r/t2/", roles=frozenset({"sales"}))
_phones = iter(range(100000, 999999))


async def customer(pool, name: str, owner: Principal, referred_by=None) -> uuid.UUID:
    row = await create_customer(pool, principal=ADMIN, name=name, phone=f"0912{next(_phones)}", referred_by=referred_by)
    await pool.execute("UPDATE customers SET owner_id = $2, owner_unit_path = $3 WHERE id = $1",
                       row["id"], owner.user_id, owner.unit_path)
    return row["id"]


async def test_the_tree_shows_visible_nodes_and_hides_connectors(pool):
    root = await customer(pool, "Gốc", A)
    child = await customer(pool, "Con của A", A, root)
    foreign = await customer(pool, "Con của B", B, root)
    grandchild = await customer(pool, "Cháu của A", A, foreign)
    await customer(pool, "Lá của B", B, foreign)  # invisible leaf: cut
    await customer(pool, "Lá khác của B", B, child)  # invisible leaf: cut
    tree = await referral_tree(pool, principal=A, customer_id=root)
    assert tree["root"]["id"] == root and tree["truncated"] is False
    items = {item["id"]: item for item in tree["items"]}
    assert set(items) == {child, foreign, grandchild}
    assert items[child]["name"] == "Con của A" and items[child]["depth"] == 1 and not items[child]["hidden"]
    assert items[foreign] == {"id": foreign, "name": None, "status": None, "created_at": None, "depth": 1,
                              "referred_by": root, "hidden": True}
    assert items[grandchild]["depth"] == 2 and items[grandchild]["referred_by"] == foreign
    assert [i["depth"] for i in tree["items"]] == [1, 1, 2]
    everything = await referral_tree(pool, principal=ADMIN, customer_id=root)
    assert len(everything["items"]) == 5 and not any(i["hidden"] for i in everything["items"])
    # a deleted customer is hidden like an invisible one
    await pool.execute("UPDATE customers SET deleted_at = now() WHERE id = $1", child)
    assert child not in {i["id"] for i in (await referral_tree(pool, principal=ADMIN, customer_id=root))["items"]
                         if not i["hidden"]}


async def test_an_invisible_root_is_not_found(pool):
    root = await customer(pool, "Gốc", B)
    with pytest.raises(NotFound):
        await referral_tree(pool, principal=A, customer_id=root)


async def test_depth_and_size_are_bounded(pool):
    root = await customer(pool, "Gốc", A)
    parent = root
    for level in range(4):
        parent = await customer(pool, f"Tầng {level + 1}", A, parent)
    deep = await referral_tree(pool, principal=A, customer_id=root, max_depth=3)
    assert [i["depth"] for i in deep["items"]] == [1, 2, 3] and deep["truncated"] is True
    assert (await referral_tree(pool, principal=A, customer_id=root, max_depth=4))["truncated"] is False
    for n in range(3):
        await customer(pool, f"Nhánh {n}", A, root)
    wide = await referral_tree(pool, principal=A, customer_id=root, limit=3)
    assert len(wide["items"]) == 3 and wide["truncated"] is True and {i["depth"] for i in wide["items"]} == {1}
