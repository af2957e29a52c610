"""Statuses, labels and groups (C-4): defaults, admin writes, stable keys, deletes of what is used."""
from __future__ import annotations

import uuid

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, Invalid, NotFound

from crm_customers.domain.configuration import check_item, slug
from crm_customers.handlers.configuration import create_item, delete_item, list_items, update_item
from crm_customers.handlers.customers import create_customer

ADMIN = Principal(user_id=uuid.uuid4(), username="admin", unit_id=None, unit_path="", roles=frozenset({"admin"}))


def rep() -> Principal:
    return Principal(user_id=uuid.uuid4(), username="rep", unit_id=uuid.uuid4(), unit_path="/r/t/",
                     roles=frozenset({"sales"}))


async def test_a_new_installation_has_the_default_statuses_and_labels(pool):
    statuses = await list_items(pool, kind="status")
    assert [s["key"] for s in statuses] == ["new", "contacted", "potential", "contract_closed", "refused", "wrong_number"]
    assert statuses[0]["name"] == "Mới"
    labels = {label["key"]: label for label in await list_items(pool, kind="label")}
    assert set(labels) == {"reputable", "regular", "premium", "hot", "warm", "cold"}
    assert labels["hot"]["category"] == "temperature" and labels["hot"]["name"] == "Nóng"


async def test_a_status_gets_a_slug_key_that_never_changes(pool):
    created = await create_item(pool, principal=ADMIN, kind="status", values={"name": "Đang chăm sóc", "position": 7})
    assert created["key"] == "dang_cham_soc"
    renamed = await update_item(pool, principal=ADMIN, kind="status", item_id=created["id"], changes={"name": "Chăm sóc"})
    assert (renamed["key"], renamed["name"]) == ("dang_cham_soc", "Chăm sóc")
    with pytest.raises(Conflict) as duplicate:
        await create_item(pool, principal=ADMIN, kind="status", values={"name": "x", "key": "dang_cham_soc"})
    assert duplicate.value.code == "key_exists"
    customer = await create_customer(pool, principal=rep(), name="An", phone="0912345101", status="dang_cham_soc")
    assert customer["status"] == "dang_cham_soc"
    [event] = await pool.fetch("SELECT payload FROM outbox WHERE event_type = 'customer_config.changed'"
                               " AND payload->'data'->>'action' = 'updated'")
    assert event["payload"]["data"]["item"]["key"] == "dang_cham_soc"


async def test_what_customers_use_cannot_be_deleted(pool):
    group = await create_item(pool, principal=ADMIN, kind="group", values={"name": "Hội chợ", "description": "Tháng 9"})
    await create_customer(pool, principal=rep(), name="An", phone="0912345102", labels=["hot"], groups=[group["id"]])
    statuses = {s["key"]: s["id"] for s in await list_items(pool, kind="status")}
    labels = {label["key"]: label["id"] for label in await list_items(pool, kind="label")}
    for kind, item_id in (("status", statuses["new"]), ("label", labels["hot"]), ("group", group["id"])):
        with pytest.raises(Conflict) as seen:
            await delete_item(pool, principal=ADMIN, kind=kind, item_id=item_id)
        assert seen.value.code == "in_use"
    await delete_item(pool, principal=ADMIN, kind="label", item_id=labels["cold"])
    assert "cold" not in {label["key"] for label in await list_items(pool, kind="label")}
    with pytest.raises(NotFound):
        await delete_item(pool, principal=ADMIN, kind="label", item_id=labels["cold"])


async def test_a_group_needs_a_name_and_a_description_and_names_are_unique(pool):
    with pytest.raises(Invalid) as seen:
        await create_item(pool, principal=ADMIN, kind="group", values={"name": " ", "description": ""})
    assert {e.field: e.code for e in seen.value.errors} == {"name": "required", "description": "required"}
    await create_item(pool, principal=ADMIN, kind="group", values={"name": "VIP", "description": "Khách lớn"})
    with pytest.raises(Conflict) as duplicate:
        await create_item(pool, principal=ADMIN, kind="group", values={"name": "vip", "description": "x"})
    assert duplicate.value.code == "name_exists"


def test_slugs_fold_vietnamese_names():
    assert slug("Đã chốt hợp đồng") == "da_chot_hop_dong"
    assert slug("  Sai số! ") == "sai_so"


def test_item_rules_report_every_problem():
    _, problems = check_item("status", {"name": "", "key": "Bad Key", "position": "1"}, partial=False)
    assert {path: code for path, code, _ in problems} == {"name": "required", "key": "invalid_key", "position": "invalid_type"}
    _, problems = check_item("label", {"name": "9 sao"}, partial=False)
    assert [code for _, code, _ in problems] == ["invalid_key"]  # a key must start with a letter
    cleaned, problems = check_item("label", {"category": "temperature"}, partial=True)
    assert cleaned == {"category": "temperature"} and problems == []
