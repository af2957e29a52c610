"""Saved views of the customer list (C-8): which filters are shown, which columns in which order
and width, the default scope and sort, and named saved filters — per user.

Field keys are the built-in fields (`name`, `status`, `owner_id`, ...) and attributes as
`attr.<key>` (the customer list's query-string spelling; the prefix keeps an attribute key from
shadowing a built-in field). Only filterable attributes may be shown as filters; any attribute may
be a column. The default sort is one the customer list accepts (`sortable`). A saved filter's
`filter` is the customer list's filter as a JSON object (`check_filter` validates it), within a
size limit; it is validated again when applied, since definitions change.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import orjson

from crm_customers.domain.attributes import AttributeDefinition
from crm_customers.domain.errors import FieldProblem
from crm_customers.domain.fields import FIELDS

SCOPES = ("all", "mine", "holding", "my_unit", "unassigned", "shared")
BUILT_IN_KEYS = (*FIELDS, "status", "labels", "groups", "owner_id", "owner_unit_id", "holder_id", "viewer_ids",
                 "referred_by", "created_at", "updated_at")
ATTRIBUTE_PREFIX = "attr."
MAX_FILTERS_SHOWN = 100
MAX_COLUMNS = 100
MAX_SAVED_FILTERS = 50
MAX_FILTER_NAME = 100
MAX_FILTER_BYTES = 8192
MIN_WIDTH, MAX_WIDTH = 40, 2000

DEFAULT_VIEW: dict[str, Any] = {
    "filters_shown": ["status", "labels", "owner_id", "province", "source", "created_at"],
    "columns": [{"key": key, "width": None} for key in
                ("name", "phone", "status", "labels", "owner_id", "province", "created_at")],
    "default_scope": "all",
    "default_sort": "-created_at",
    "saved_filters": [],
}


def field_keys(definitions: Iterable[AttributeDefinition]) -> tuple[frozenset[str], frozenset[str]]:
    """(every key a column may show, every key a filter may use)."""
    definitions = list(definitions)
    columns = {*BUILT_IN_KEYS, *(ATTRIBUTE_PREFIX + d.key for d in definitions)}
    filters = {*BUILT_IN_KEYS, *(ATTRIBUTE_PREFIX + d.key for d in definitions if d.filterable)}
    return frozenset(columns), frozenset(filters)


def _list(raw: object, path: str, maximum: int, problems: list[FieldProblem]) -> list[Any]:
    if not isinstance(raw, (list, tuple)):
        problems.append((path, "invalid_type", {}))
        return []
    if len(raw) > maximum:
        problems.append((path, "too_many_items", {"max_items": maximum}))
        return []
    return list(raw)


def _key(raw: object, path: str, allowed: frozenset[str], columns: frozenset[str], seen: set[str],
         problems: list[FieldProblem]) -> str | None:
    if not isinstance(raw, str):
        problems.append((path, "invalid_type", {}))
        return None
    if raw not in allowed:
        code = "not_filterable" if raw in columns else "unknown_field_key"
        problems.append((path, code, {"key": raw}))
        return None
    if raw in seen:
        problems.append((path, "duplicate_value", {"value": raw}))
        return None
    seen.add(raw)
    return raw


def _column(raw: object, path: str, columns: frozenset[str], seen: set[str], problems: list[FieldProblem]) -> dict[str, Any] | None:
    if isinstance(raw, str):
        raw = {"key": raw}
    if not isinstance(raw, Mapping):
        problems.append((path, "invalid_type", {}))
        return None
    unknown = set(raw) - {"key", "width"}
    problems.extend((f"{path}.{name}", "unknown_field", {}) for name in sorted(unknown))
    key = _key(raw.get("key"), f"{path}.key", columns, columns, seen, problems)
    width = raw.get("width")
    if width is not None and (isinstance(width, bool) or not isinstance(width, int)):
        problems.append((f"{path}.width", "invalid_type", {}))
        width = None
    elif width is not None and not MIN_WIDTH <= width <= MAX_WIDTH:
        problems.append((f"{path}.width", "out_of_range", {}))
    return {"key": key, "width": width} if key and not unknown else None


def _sort(raw: object, sortable: frozenset[str], problems: list[FieldProblem]) -> str | None:
    if not isinstance(raw, str):
        problems.append(("default_sort", "invalid_type", {}))
        return None
    if raw.removeprefix("-") not in sortable:
        problems.append(("default_sort", "invalid_choice", {"choices": ", ".join(sorted(sortable))}))
        return None
    return raw


FilterCheck = Callable[[Mapping[str, Any]], list[FieldProblem]]


def _saved_filter(raw: object, path: str, names: set[str], check_filter: FilterCheck | None,
                  problems: list[FieldProblem]) -> dict[str, Any] | None:
    if not isinstance(raw, Mapping):
        problems.append((path, "invalid_type", {}))
        return None
    problems.extend((f"{path}.{name}", "unknown_field", {}) for name in sorted(set(raw) - {"name", "filter"}))
    name, filter_ = raw.get("name"), raw.get("filter")
    if not isinstance(name, str) or not unicodedata.normalize("NFC", name).strip():
        problems.append((f"{path}.name", "required" if not name else "invalid_type", {}))
        name = None
    else:
        name = unicodedata.normalize("NFC", name).strip()
        if len(name) > MAX_FILTER_NAME:
            problems.append((f"{path}.name", "too_long", {"max_length": MAX_FILTER_NAME}))
        elif name.casefold() in names:
            problems.append((f"{path}.name", "duplicate_value", {"value": name}))
        names.add(name.casefold())
    if not isinstance(filter_, Mapping):
        problems.append((f"{path}.filter", "invalid_type" if filter_ is not None else "required", {}))
        filter_ = None
    elif len(orjson.dumps(filter_)) > MAX_FILTER_BYTES:
        problems.append((f"{path}.filter", "too_long", {"max_length": MAX_FILTER_BYTES}))
    elif check_filter is not None:
        problems.extend((f"{path}.filter.{field}", code, params) for field, code, params in check_filter(filter_))
    return {"name": name, "filter": dict(filter_)} if name and filter_ is not None else None


def check_view(raw: Mapping[str, Any], definitions: Iterable[AttributeDefinition], *, sortable: Iterable[str],
               check_filter: FilterCheck | None = None) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The whole view as stored, and every problem; fields left out take the default view's value."""
    columns_allowed, filters_allowed = field_keys(definitions)
    problems: list[FieldProblem] = []
    problems.extend((name, "unknown_field", {}) for name in sorted(set(raw) - set(DEFAULT_VIEW)))
    values = {**DEFAULT_VIEW, **{k: v for k, v in raw.items() if v is not None}}
    seen: set[str] = set()
    filters = [_key(item, f"filters_shown.{i}", filters_allowed, columns_allowed, seen, problems)
               for i, item in enumerate(_list(values["filters_shown"], "filters_shown", MAX_FILTERS_SHOWN, problems))]
    seen = set()
    columns = [_column(item, f"columns.{i}", columns_allowed, seen, problems)
               for i, item in enumerate(_list(values["columns"], "columns", MAX_COLUMNS, problems))]
    scope = values["default_scope"]
    if scope not in SCOPES:
        problems.append(("default_scope", "invalid_choice", {"choices": ", ".join(SCOPES)}))
    sort = _sort(values["default_sort"], frozenset(sortable), problems)
    names: set[str] = set()
    saved = [_saved_filter(item, f"saved_filters.{i}", names, check_filter, problems)
             for i, item in enumerate(_list(values["saved_filters"], "saved_filters", MAX_SAVED_FILTERS, problems))]
    view = {"filters_shown": [f for f in filters if f], "columns": [c for c in columns if c],
            "default_scope": scope, "default_sort": sort, "saved_filters": [s for s in saved if s]}
    return view, problems


def current_view(stored: Mapping[str, Any] | None, definitions: Iterable[AttributeDefinition], *,
                 sortable: Iterable[str]) -> dict[str, Any]:
    """A stored view as shown today: keys of attributes deleted (or no longer filterable) since it
    was saved are dropped; no stored view = the default view."""
    if stored is None:
        return {**DEFAULT_VIEW, "columns": [dict(c) for c in DEFAULT_VIEW["columns"]], "saved_filters": []}
    columns_allowed, filters_allowed = field_keys(definitions)
    view = {**DEFAULT_VIEW, **stored}
    sort = view.get("default_sort") or DEFAULT_VIEW["default_sort"]
    return {
        **view,
        "filters_shown": [k for k in view["filters_shown"] if k in filters_allowed],
        "columns": [c for c in view["columns"] if c.get("key") in columns_allowed],
        "default_sort": sort if sort.removeprefix("-") in set(sortable) else DEFAULT_VIEW["default_sort"],
    }
