"""Attribute definitions (C-3): admin writes, immutable key, type and option changes guarded by the
values customers hold, forced delete, events."""
from __future__ import annotations

import uuid

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, Forbidden, Invalid, NotFound

from crm_customers.handlers.attributes import create_attribute, delete_attribute, list_attributes, update_attribute
from crm_customers.handlers.customers import create_customer, get_customer, update_customer

ADMIN = Principal(user_id=uuid.uuid4(), username="admin", unit_id=None, unit_path="", roles=frozenset({"admin"}))
REP = Principal(user_id=uuid.uuid4(), username="rep", unit_id=uuid.uuid4(), unit_path="/r/t/",
                roles=frozenset({"sales"}))
INCOME = {"key": "income", "name": "Thu nhập", "type": "select", "display_order": 2, "filterable": True,
          "options": [{"value": "low", "label": "Dưới 10 triệu"}, {"value": "high", "label": "Trên 10 triệu"},
                      {"value": "mid", "label": "10–30 triệu"}]}


async def events_of(pool, type_: str) -> list[dict]:
    rows = await pool.fetch("SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", type_)
    return [r["payload"]["data"] for r in rows]


async def test_definitions_are_listed_in_display_order_and_published(pool):
    await create_attribute(pool, principal=ADMIN, values=INCOME)
    await create_attribute(pool, principal=ADMIN, values={"key": "zalo", "name": "Zalo", "type": "phone",
                                                          "display_order": 1})
    assert [a["key"] for a in await list_attributes(pool)] == ["zalo", "income"]
    defined = await events_of(pool, "customer_attribute.defined")
    assert [d["key"] for d in defined] == ["income", "zalo"] and defined[0]["options"][0]["value"] == "low"
    with pytest.raises(Conflict) as duplicate:
        await create_attribute(pool, principal=ADMIN, values={**INCOME, "name": "Khác"})
    assert duplicate.value.code == "key_exists"


async def test_an_invalid_definition_lists_every_problem(pool):
    with pytest.raises(Invalid) as invalid:
        await create_attribute(pool, principal=ADMIN, values={"key": "Bad Key", "name": "", "type": "select"})
    assert {(e.field, e.code) for e in invalid.value.errors} == {
        ("key", "invalid_attribute_key"), ("name", "required"), ("options", "options_required")}


@pytest.mark.parametrize("values", [{}, {"options": []}, {"key": None, "name": None, "type": None}])
async def test_a_definition_without_key_name_or_type_says_each_is_required(pool, values):
    with pytest.raises(Invalid) as missing:
        await create_attribute(pool, principal=ADMIN, values=values)
    assert {(e.field, e.code) for e in missing.value.errors} == {("key", "required"), ("name", "required"),
                                                                  ("type", "required")}


async def test_values_are_validated_against_the_definition_on_every_write(pool):
    await create_attribute(pool, principal=ADMIN, values=INCOME)
    with pytest.raises(Invalid) as wrong:
        await create_customer(pool, principal=REP, name="An", phone="0912345201", attributes={"income": "huge"})
    assert [(e.field, e.code) for e in wrong.value.errors] == [("attributes.income", "invalid_choice")]
    customer = await create_customer(pool, principal=REP, name="An", phone="0912345201", attributes={"income": "low"})
    assert customer["attributes"] == {"income": "low"}


async def test_the_key_never_changes_and_used_options_stay(pool):
    attribute = await create_attribute(pool, principal=ADMIN, values=INCOME)
    await create_customer(pool, principal=REP, name="An", phone="0912345202", attributes={"income": "low"})
    with pytest.raises(Invalid) as immutable:
        await update_attribute(pool, principal=ADMIN, attribute_id=attribute["id"], changes={"key": "salary"})
    assert [(e.field, e.code) for e in immutable.value.errors] == [("key", "immutable")]
    with pytest.raises(Conflict) as used:
        await update_attribute(pool, principal=ADMIN, attribute_id=attribute["id"],
                               changes={"options": [{"value": "high", "label": "Cao"}]})
    assert (used.value.code, used.value.details) == ("attribute_option_in_use", {"options": ["low"]})
    kept = [{"value": "low", "label": "Thấp"}, {"value": "high", "label": "Cao"}]
    updated = await update_attribute(pool, principal=ADMIN, attribute_id=attribute["id"],
                                     changes={"options": kept, "name": "Mức thu nhập", "key": "income"})
    assert updated["options"] == kept and updated["name"] == "Mức thu nhập"
    changed = (await events_of(pool, "customer_attribute.changed"))[-1]
    assert changed["changed"] == ["name", "options"]
    nothing = await update_attribute(pool, principal=ADMIN, attribute_id=attribute["id"], changes={"options": kept})
    assert nothing["updated_at"] == updated["updated_at"] and len(await events_of(pool, "customer_attribute.changed")) == 1


async def test_a_multi_select_option_in_use_is_found_inside_the_lists(pool):
    attribute = await create_attribute(pool, principal=ADMIN, values={**INCOME, "key": "channels", "type": "multi-select"})
    await create_customer(pool, principal=REP, name="An", phone="0912345203", attributes={"channels": ["high", "mid"]})
    with pytest.raises(Conflict) as used:
        await update_attribute(pool, principal=ADMIN, attribute_id=attribute["id"],
                               changes={"options": [{"value": "low", "label": "x"}, {"value": "high", "label": "y"}]})
    assert used.value.details == {"options": ["mid"]}


async def test_a_type_changes_only_when_every_value_stays_as_it_is(pool):
    attribute = await create_attribute(pool, principal=ADMIN, values={"key": "ref", "name": "Mã", "type": "text"})
    customer = await create_customer(pool, principal=REP, name="An", phone="0912345204", attributes={"ref": "12"})
    with pytest.raises(Conflict) as to_number:  # "12" would be read as a number 12: stored differently
        await update_attribute(pool, principal=ADMIN, attribute_id=attribute["id"], changes={"type": "number"})
    assert to_number.value.code == "attribute_in_use"
    with pytest.raises(Conflict):
        await update_attribute(pool, principal=ADMIN, attribute_id=attribute["id"], changes={"type": "url"})
    await update_customer(pool, principal=REP, customer_id=customer["id"], expected_version=None,
                          changes={"attributes": {"ref": None}})
    changed = await update_attribute(pool, principal=ADMIN, attribute_id=attribute["id"], changes={"type": "number"})
    assert changed["type"] == "number"
    # a select whose values all are options can become text
    select = await create_attribute(pool, principal=ADMIN, values=INCOME)
    await create_customer(pool, principal=REP, name="Bình", phone="0912345205", attributes={"income": "mid"})
    assert (await update_attribute(pool, principal=ADMIN, attribute_id=select["id"],
                                   changes={"type": "text", "options": []}))["type"] == "text"


async def test_deleting_a_definition_in_use_needs_force_which_removes_the_values(pool):
    attribute = await create_attribute(pool, principal=ADMIN, values=INCOME)
    unused = await create_attribute(pool, principal=ADMIN, values={"key": "note2", "name": "Ghi chú 2", "type": "text"})
    customer = await create_customer(pool, principal=REP, name="An", phone="0912345206",
                                     attributes={"income": "low"})
    assert await delete_attribute(pool, principal=ADMIN, attribute_id=unused["id"]) == 0
    with pytest.raises(Conflict) as in_use:
        await delete_attribute(pool, principal=ADMIN, attribute_id=attribute["id"])
    assert in_use.value.code == "attribute_in_use"
    with pytest.raises(Forbidden):
        await delete_attribute(pool, principal=REP, attribute_id=attribute["id"], force=True)
    assert await delete_attribute(pool, principal=ADMIN, attribute_id=attribute["id"], force=True) == 1
    after = await get_customer(pool, principal=REP, customer_id=customer["id"])
    assert after["attributes"] == {} and after["version"] == customer["version"] + 1
    deleted = await events_of(pool, "customer_attribute.deleted")
    assert [(d["key"], d["forced"], d["values_removed"]) for d in deleted] == [("note2", False, 0), ("income", True, 1)]
    assert await list_attributes(pool) == []
    with pytest.raises(NotFound):
        await delete_attribute(pool, principal=ADMIN, attribute_id=attribute["id"])
