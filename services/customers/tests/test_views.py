"""Saved views (C-8): default view, validation of field keys and limits, round trip, stale keys."""
from __future__ import annotations

import uuid

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import Invalid

from crm_customers.domain.views import DEFAULT_VIEW, check_view
from crm_customers.handlers.attributes import create_attribute, delete_attribute
from crm_customers.handlers.views import get_view, put_view

ADMIN = Principal(user_id=uuid.uuid4(), username="admin", unit_id=None, unit_path="", roles=frozenset({"admin"}))


def rep() -> Principal:
    return Principal(user_id=uuid.uuid4(), username="rep", unit_id=uuid.uuid4(), unit_path="/r/t/",
                     roles=frozenset({"sales"}))


def errors(excinfo) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in excinfo.value.errors}


async def test_without_a_saved_view_the_default_is_shown(pool):
    view = await get_view(pool, principal=rep())
    assert view["saved"] is False and view["updated_at"] is None
    assert {k: view[k] for k in DEFAULT_VIEW} == DEFAULT_VIEW


async def test_a_view_round_trips_per_user_with_attribute_keys(pool):
    await create_attribute(pool, principal=ADMIN, values={
        "key": "income", "name": "Thu nhập", "type": "select", "filterable": True,
        "options": [{"value": "low", "label": "Thấp"}]})
    await create_attribute(pool, principal=ADMIN, values={"key": "hobby", "name": "Sở thích", "type": "text"})
    me, other = rep(), rep()
    body = {
        "filters_shown": ["status", "attr.income", "province"],
        "columns": [{"key": "name", "width": 240}, {"key": "attr.hobby"}, "phone"],
        "default_scope": "mine", "default_sort": "name",
        "saved_filters": [{"name": "Khách nóng", "filter": {"labels": ["hot"], "attributes": {"income": ["low"]}}}],
    }
    saved = await put_view(pool, principal=me, values=body)
    assert saved["saved"] is True
    read = await get_view(pool, principal=me)
    assert read["columns"] == [{"key": "name", "width": 240}, {"key": "attr.hobby", "width": None},
                               {"key": "phone", "width": None}]
    assert read["filters_shown"] == ["status", "attr.income", "province"] and read["default_scope"] == "mine"
    assert read["saved_filters"] == body["saved_filters"] and read["default_sort"] == "name"
    assert (await get_view(pool, principal=other))["saved"] is False
    published = await pool.fetch("SELECT payload FROM outbox WHERE event_type = 'customer_view.saved'")
    assert [p["payload"]["subject"] for p in published] == [str(me.user_id)]
    # a deleted attribute disappears from the view
    hobby = next(r for r in await pool.fetch("SELECT id, key FROM customer_attributes") if r["key"] == "hobby")
    await delete_attribute(pool, principal=ADMIN, attribute_id=hobby["id"])
    assert [c["key"] for c in (await get_view(pool, principal=me))["columns"]] == ["name", "phone"]


async def test_field_keys_scopes_sorts_and_filters_are_checked(pool):
    await create_attribute(pool, principal=ADMIN, values={"key": "hobby", "name": "Sở thích", "type": "text"})
    with pytest.raises(Invalid) as invalid:
        await put_view(pool, principal=rep(), values={
            "filters_shown": ["nope", "attr.hobby", "status", "status"],
            "columns": [{"key": "attr.missing"}, {"key": "name", "width": 5}, {"key": "name"}, 7],
            "default_scope": "everything", "default_sort": "-labels",
            "saved_filters": [{"name": "A", "filter": {"scope": "nowhere"}}, {"name": "a", "filter": {}},
                              {"name": "", "filter": []}],
            "colour": "red",
        })
    assert errors(invalid) == {
        ("colour", "unknown_field"),
        ("filters_shown.0", "unknown_field_key"), ("filters_shown.1", "not_filterable"),
        ("filters_shown.3", "duplicate_value"),
        ("columns.0.key", "unknown_field_key"), ("columns.1.width", "out_of_range"),
        ("columns.2.key", "duplicate_value"), ("columns.3", "invalid_type"),
        ("default_scope", "invalid_choice"), ("default_sort", "invalid_choice"),
        ("saved_filters.0.filter.scope", "invalid_choice"), ("saved_filters.1.name", "duplicate_value"),
        ("saved_filters.2.name", "required"), ("saved_filters.2.filter", "invalid_type"),
    }


def test_limits_on_columns_and_saved_filters():
    sortable = ["name", "created_at"]
    view, problems = check_view({"columns": ["name"] * 101}, [], sortable=sortable)
    assert problems == [("columns", "too_many_items", {"max_items": 100})]
    many = [{"name": f"F{i}", "filter": {}} for i in range(51)]
    assert check_view({"saved_filters": many}, [], sortable=sortable)[1] == [
        ("saved_filters", "too_many_items", {"max_items": 50})]
    fifty = check_view({"saved_filters": many[:50]}, [], sortable=sortable)
    assert fifty[1] == [] and len(fifty[0]["saved_filters"]) == 50
    big = {"name": "x", "filter": {"q": "a" * 9000}}
    assert check_view({"saved_filters": [big]}, [], sortable=sortable)[1] == [
        ("saved_filters.0.filter", "too_long", {"max_length": 8192})]
