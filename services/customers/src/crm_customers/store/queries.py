"""Customer selections: one filter model, one WHERE builder, keyset sorting and counting.

Reused by lists, bulk actions and exports (C-6, C-7, C-10, C-13), so that a selection means the
same rows everywhere and always stays inside what the caller may see:

    async def customer_where(conn: asyncpg.Connection, flt: CustomerFilter, principal: Principal, *,
                             params: Params | None = None, alias: str = "c",
                             include_deleted: bool = False) -> tuple[str, Params]

returns a SQL boolean expression over the `customers` row `alias` (visibility of
store.customers.visible_sql AND scope AND search AND every filter) and the positional arguments it
uses (a `Params` list; pass your own to continue its numbering). It raises
`ProblemError(422, "validation_error")` with field errors for unknown statuses, labels, provinces,
choices and attributes that are not defined or not filterable. Example:

    where, params = await customer_where(conn, CustomerFilter(scope="mine", labels=["hot"]), principal)
    await conn.execute(f"UPDATE customers c SET ... WHERE {where}", *params)

`CustomerFilter` is the same model in query strings (`?status=new,contacted&attr.color=red`,
see `filter_from_query`) and in JSON bodies (`{"filter": {"status": ["new"], "attributes":
{"color": ["red"]}}}`).

Search (`q`): the words of the query, folded like `crm_fold` (lower case, no diacritics, đ → d),
must all occur in `search_doc` (name, company, e-mail, tax code) — substring, so prefixes match —
or the whole folded query is similar to a part of it (`<%`, pg_trgm word similarity: typos). A
query that looks like a phone number matches the normalised phone exactly and phone suffixes of
4+ digits (`phone_rev`).
"""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

import asyncpg
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from crmkit.auth import Principal
from crmkit.errors import FieldError, ProblemError, field_errors_from_pydantic
from crmkit.pagination import decode_cursor, encode_cursor
from crm_customers.domain.attributes import AttributeType, InvalidAttributes, define_attribute, validate_values
from crm_customers.domain.dates import calendar_date
from crm_customers.domain.errors import DomainError
from crm_customers.domain.fields import normalize_choice, normalize_organization_size
from crm_customers.domain.phones import InvalidPhone, normalize_phone
from crm_customers.domain.provinces import normalize_province
from crm_customers.domain.text import fold_words
from crm_customers.store import configuration as config_store
from crm_customers.store.customers import (
    COLUMNS,
    Params,
    access_of,
    as_customer,
    subtree_path,
    subtree_sql,
    visible_sql,
)

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")  # dates in filters are local days
EXACT_COUNT_LIMIT = 10_000
SELECT_COLUMNS = ", ".join(f"c.{name.strip()}" for name in COLUMNS.split(","))
MAX_VALUES = 100
Scope = Literal["all", "mine", "holding", "my_unit", "unassigned", "shared"]


def _listed(value: Any) -> Any:
    """A query string gives `a,b` or a repeated parameter; JSON gives a list or a single value."""
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    out: list[Any] = []
    for item in items:
        if isinstance(item, str):
            out += [part.strip() for part in item.split(",") if part.strip()]
        else:
            out.append(item)
    return out


def _single(value: Any) -> Any:
    return value[-1] if isinstance(value, list) and value else value


# Every filter field takes null as "no filter": constraints sit on the non-null type (pydantic
# cannot apply `max_length` or `ge` to None).
Strings = Annotated[Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=MAX_VALUES)] | None,
                    BeforeValidator(_listed)]
Ids = Annotated[Annotated[list[uuid.UUID], Field(max_length=MAX_VALUES)] | None, BeforeValidator(_listed)]
Scalar = str | int | float | bool
AttributeValues = Annotated[Annotated[list[Scalar], Field(max_length=MAX_VALUES)] | None, BeforeValidator(_listed)]


def _all_when_null(value: Any) -> Any:
    return "all" if value is None else _single(value)


def _without_nulls(values: dict[str, Any] | None) -> dict[str, Any] | None:
    return {key: value for key, value in values.items() if value is not None} if values else values
def _day(value: Any) -> Any:
    """A day as records take it (`yyyy-mm-dd`, `dd/mm/yyyy`...); anything else is left for
    pydantic to parse or refuse (`invalid_date`, which names the forms)."""
    value = _single(value)
    return (calendar_date(value) or value) if isinstance(value, str) else value



Moment = Annotated[date | datetime | None, BeforeValidator(_day)]  # a (local) day, else an instant
Day = Annotated[date | None, BeforeValidator(_day)]
Flag = Annotated[bool | None, BeforeValidator(_single)]


class CustomerFilter(BaseModel):
    """Which customers: a scope, a search and filters on every built-in field and on filterable
    attributes. Lists mean "any of"; `labels_all` means "all of"; date ranges are inclusive local
    days (Asia/Ho_Chi_Minh) or exact instants."""
    model_config = ConfigDict(extra="forbid")

    scope: Annotated[Scope, BeforeValidator(_all_when_null)] = Field(
        "all", description="all · mine (owner) · holding (holder) · my_unit (owner in my unit subtree) · "
                           "unassigned (no owner) · shared (I am a viewer); always within what I may see")
    q: Annotated[Annotated[str, Field(max_length=200)] | None, BeforeValidator(_single)] = Field(
        None, description="name, phone (any writing, or its last 4+ digits), e-mail, tax code, company; "
                          "case-, diacritic- and typo-tolerant")
    fuzzy: Annotated[bool | None, BeforeValidator(_single)] = Field(
        None, description="typo-tolerant `q`: true also matches similar words; false only exact substrings; "
                          "unset: lists fall back to similar words when nothing matches exactly (bulk actions "
                          "and exports: exact unless true)")
    status: Strings = Field(None, description="status keys (any of)")
    lifecycle: Strings = None
    party_type: Strings = None
    gender: Strings = None
    province: Strings = Field(None, description="province codes or names (old names map to the 2025 units)")
    source: Strings = None
    customer_type: Strings = None
    industry: Strings = None
    organization_size: Strings = None
    labels: Strings = Field(None, description="label keys: customers with any of them")
    labels_all: Strings = Field(None, description="label keys: customers with all of them")
    groups: Ids = Field(None, description="group ids: customers in any of them")
    owner_id: Ids = None
    owner_unit_id: Annotated[uuid.UUID | None, BeforeValidator(_single)] = Field(
        None, description="owner's unit, with its whole subtree")
    holder_id: Ids = None
    referred_by: Ids = None
    created_from: Moment = None
    created_to: Moment = None
    updated_from: Moment = None
    updated_to: Moment = None
    birthday_from: Day = None
    birthday_to: Day = None
    birth_month: Annotated[Annotated[int, Field(ge=1, le=12)] | None, BeforeValidator(_single)] = None
    has_email: Flag = None
    has_tax_code: Flag = None
    has_owner: Flag = None
    has_holder: Flag = None
    attributes: Annotated[dict[str, AttributeValues] | None, AfterValidator(_without_nulls)] = Field(
        None, description="filterable attributes: key → values (any of); `attr.<key>=` in a query string")


# Query strings

PAGE_PARAMETERS = frozenset({"sort", "limit", "cursor", "with_count"})
ATTRIBUTE_PREFIX = "attr."


def filter_from_query(items: list[tuple[str, str]]) -> CustomerFilter:
    """`request.query_params.multi_items()` without the page parameters → CustomerFilter; an
    unknown parameter is a 422 field error (`unknown_field`)."""
    data: dict[str, Any] = {}
    attributes: dict[str, list[str]] = {}
    unknown: list[FieldError] = []
    for key, value in items:
        if key in PAGE_PARAMETERS:
            continue
        if key.startswith(ATTRIBUTE_PREFIX) and len(key) > len(ATTRIBUTE_PREFIX):
            attributes.setdefault(key[len(ATTRIBUTE_PREFIX):], []).append(value)
        elif key in CustomerFilter.model_fields and key != "attributes":
            data.setdefault(key, []).append(value)
        else:
            unknown.append(FieldError(key[:100], "unknown_field"))
    if unknown:
        raise ProblemError(422, "validation_error", errors=unknown)
    if attributes:
        data["attributes"] = attributes
    return parse_filter(data)


def parse_filter(data: Any) -> CustomerFilter:
    """A filter from JSON-like data; pydantic problems as a 422 with field errors."""
    if isinstance(data, CustomerFilter):
        return data
    try:
        return CustomerFilter.model_validate(data if data is not None else {})
    except ValidationError as error:
        raise ProblemError(422, "validation_error",
                           errors=field_errors_from_pydantic(error.errors())) from None


# The WHERE clause


class _Problems(list):
    def add(self, field: str, code: str, **params: Any) -> None:
        self.append(FieldError(field, code, {k: v for k, v in params.items() if isinstance(v, (str, int, float))}))


def _local_start(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=LOCAL_TIME)
    return datetime.combine(value, time(), LOCAL_TIME)


def _local_end(value: datetime | date) -> tuple[datetime, str]:
    """The end of a range: an instant is inclusive, a day includes all of it (exclusive next midnight)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=LOCAL_TIME)), "<="
    return datetime.combine(value + timedelta(days=1), time(), LOCAL_TIME), "<"


_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-]+$")
PHONE_SUFFIX_MIN = 4


def _word_prefix(words: list[str]) -> str:
    """LIKE pattern of words (folded: only a-z and 0-9) starting a word of `search_doc`."""
    return "% " + " ".join(words) + "%"


def search_sql(q: str, params: Params, alias: str = "c", *, fuzzy: bool = False) -> str | None:
    """The search condition of `q`, or None when `q` has nothing to search for."""
    q = q.strip()
    branches: list[str] = []
    digits = re.sub(r"\D", "", q)
    if _PHONE_LIKE.match(q) and len(digits) >= PHONE_SUFFIX_MIN:
        try:
            branches.append(f"{alias}.phone = {params.add(normalize_phone(q))}")
        except InvalidPhone:
            pass
        suffix = digits[1:] if digits.startswith("0") and len(digits) >= 9 else digits
        branches.append(f"{alias}.phone_rev LIKE {params.add(suffix[::-1] + '%')}")
        branches.append(f"{alias}.search_doc LIKE {params.add(_word_prefix(fold_words(q)))}")  # tax codes
        return f"({' OR '.join(branches)})"
    words = fold_words(q)[:10]
    if not words:
        return None
    branches.append("(" + " AND ".join(f"{alias}.search_doc LIKE {params.add(_word_prefix([w]))}" for w in words)
                    + ")")
    folded = " ".join(words)
    if fuzzy and len(folded) >= 4 and any(ch.isalpha() for ch in folded):
        branches.append(f"{params.add(folded)} <% {alias}.search_doc")
    return f"({' OR '.join(branches)})"


def _scope_sql(scope: str, principal: Principal, params: Params, alias: str) -> str | None:
    me = principal.user_id
    if scope == "mine":
        return f"{alias}.owner_id = {params.add(me)}"
    if scope == "holding":
        return f"{alias}.holder_id = {params.add(me)}"
    if scope == "shared":
        return f"{alias}.viewer_ids @> ARRAY[{params.add(me)}]::uuid[]"
    if scope == "unassigned":
        return f"{alias}.owner_id IS NULL"
    if scope == "my_unit":
        path = subtree_path(principal.unit_path) if principal.kind == "user" else None
        if path is None:
            return "FALSE"
        return f"({alias}.owner_id IS NOT NULL AND {subtree_sql(path, params, f'{alias}.owner_unit_path')})"
    return None


def _any(column: str, values: list, params: Params, cast: str) -> str:
    return f"{column} = ANY({params.add(values)}::{cast}[])"


async def _known_keys(conn: asyncpg.Connection, values: list[str], known: list[str], field: str,
                      code: str, problems: _Problems, param: str) -> None:
    known_set = set(known)
    for index, value in enumerate(values):
        if value not in known_set:
            problems.add(f"{field}.{index}", code, **{param: value})


def _choices(field: str, values: list[str], problems: _Problems, normalize) -> list[str]:
    out: list[str] = []
    for index, raw in enumerate(values):
        try:
            out.append(normalize(raw))
        except DomainError as error:
            problems.add(f"{field}.{index}", error.code, **error.params)
    return out


async def _unit_path(conn: asyncpg.Connection, unit_id: uuid.UUID) -> str | None:
    """The path of a unit from what this service knows of it: its users (the small directory
    first), else the customers owned in it."""
    marker = f"/{unit_id}/"
    path = await conn.fetchval("SELECT unit_path FROM directory_users WHERE unit_path LIKE $1 LIMIT 1",
                               f"%{marker}%")
    if path:
        return path[: path.index(marker) + len(marker)]
    return await conn.fetchval(
        "SELECT owner_unit_path FROM customers WHERE owner_unit_id = $1 AND owner_unit_path IS NOT NULL LIMIT 1",
        unit_id)


async def _attribute_sql(conn: asyncpg.Connection, wanted: dict[str, list[Scalar]], params: Params,
                         problems: _Problems, alias: str) -> list[str]:
    definitions = {row["key"]: define_attribute(**dict(row)) for row in await config_store.attribute_definitions(conn)}
    clauses: list[str] = []
    for key, values in wanted.items():
        definition = definitions.get(key)
        if definition is None or not definition.filterable:
            problems.add(f"attr.{key}", "unknown_field" if definition is None else "not_filterable", key=key)
            continue
        if not values:
            continue
        documents = []
        for index, raw in enumerate(values):
            value = [raw] if definition.type == AttributeType.MULTI_SELECT else raw
            try:
                cleaned = validate_values([definition], {key: value}, partial=True).get(key)
            except InvalidAttributes as error:
                for _, code, error_params in error.errors:
                    problems.add(f"attr.{key}.{index}", code, **error_params)
                continue
            if cleaned is not None:
                documents.append({key: cleaned})
        if documents:
            clauses.append("(" + " OR ".join(f"{alias}.attributes @> {params.add(d)}::jsonb" for d in documents) + ")")
    return clauses


async def customer_where(conn: asyncpg.Connection, flt: CustomerFilter, principal: Principal, *,
                         params: Params | None = None, alias: str = "c",
                         include_deleted: bool = False) -> tuple[str, Params]:
    """(filter, principal) → SQL condition + arguments; see the module's docstring."""
    params = params if params is not None else Params()
    problems = _Problems()
    clauses = [visible_sql(access_of(principal), params, alias=alias, include_deleted=include_deleted)]
    scope = _scope_sql(flt.scope, principal, params, alias)
    if scope:
        clauses.append(scope)
    if flt.q and (search := search_sql(flt.q, params, alias, fuzzy=flt.fuzzy is True)):
        clauses.append(search)
    a = alias

    if flt.status:
        await _known_keys(conn, flt.status, await config_store.status_keys(conn), "status", "unknown_status",
                          problems, "status")
        clauses.append(_any(f"{a}.status", flt.status, params, "text"))
    for field in ("lifecycle", "party_type", "gender"):
        if values := getattr(flt, field):
            chosen = _choices(field, values, problems, lambda raw, f=field: normalize_choice(f, raw))
            clauses.append(_any(f"{a}.{field}", chosen, params, "text"))
    if flt.organization_size:
        chosen = _choices("organization_size", flt.organization_size, problems, normalize_organization_size)
        clauses.append(_any(f"{a}.organization_size", chosen, params, "text"))
    if flt.province:
        codes = _choices("province", flt.province, problems, lambda raw: normalize_province(
            int(raw) if raw.isascii() and raw.isdigit() else raw).code)
        clauses.append(_any(f"{a}.province_code", codes, params, "int"))
    for field in ("source", "customer_type", "industry"):  # free text: case- and accent-insensitive equality
        if values := getattr(flt, field):
            clauses.append(f"public.crm_fold({a}.{field}) = ANY(ARRAY(SELECT public.crm_fold(v) FROM"
                           f" unnest({params.add(values)}::text[]) v))")
    labels = (flt.labels or []) + (flt.labels_all or [])
    if labels:
        known = await config_store.label_keys(conn)
        if flt.labels:
            await _known_keys(conn, flt.labels, known, "labels", "unknown_label", problems, "label")
            clauses.append(f"{a}.labels && {params.add(flt.labels)}::text[]")
        if flt.labels_all:
            await _known_keys(conn, flt.labels_all, known, "labels_all", "unknown_label", problems, "label")
            clauses.append(f"{a}.labels @> {params.add(flt.labels_all)}::text[]")
    if flt.groups:
        clauses.append(f"{a}.groups && {params.add(flt.groups)}::uuid[]")
    for field in ("owner_id", "holder_id", "referred_by"):
        if values := getattr(flt, field):
            clauses.append(_any(f"{a}.{field}", values, params, "uuid"))
    if flt.owner_unit_id:
        path = await _unit_path(conn, flt.owner_unit_id)
        clauses.append(subtree_sql(path, params, f"{a}.owner_unit_path") if path and subtree_path(path) else "FALSE")
    for column, start, end in (("created_at", flt.created_from, flt.created_to),
                               ("updated_at", flt.updated_from, flt.updated_to)):
        if start is not None:
            clauses.append(f"{a}.{column} >= {params.add(_local_start(start))}")
        if end is not None:
            moment, op = _local_end(end)
            clauses.append(f"{a}.{column} {op} {params.add(moment)}")
    if flt.birthday_from is not None:
        clauses.append(f"{a}.birthday >= {params.add(flt.birthday_from)}")
    if flt.birthday_to is not None:
        clauses.append(f"{a}.birthday <= {params.add(flt.birthday_to)}")
    if flt.birth_month is not None:
        clauses.append(f"extract(month FROM {a}.birthday) = {params.add(flt.birth_month)}")
    for flag, column in ((flt.has_email, "email"), (flt.has_tax_code, "tax_code"), (flt.has_owner, "owner_id"),
                         (flt.has_holder, "holder_id")):
        if flag is not None:
            clauses.append(f"{a}.{column} IS {'NOT ' if flag else ''}NULL")
    if flt.attributes:
        clauses += await _attribute_sql(conn, flt.attributes, params, problems, alias)
    if problems:
        raise ProblemError(422, "validation_error", errors=list(problems))
    return " AND ".join(clauses), params


# Sorting and keyset cursors


VIETNAMESE = '"vi-x-icu"'  # a Đ b: the database's C collation would put Đ after z


@dataclass(frozen=True)
class SortColumn:
    column: str
    kind: Literal["timestamp", "date", "text", "int"]
    nullable: bool
    collate: str | None = None

    def expression(self, alias: str) -> str:
        return f"{alias}.{self.column}" + (f" COLLATE {self.collate}" if self.collate else "")


SORTABLE: dict[str, SortColumn] = {
    "created_at": SortColumn("created_at", "timestamp", False),
    "updated_at": SortColumn("updated_at", "timestamp", False),
    "name": SortColumn("name", "text", False, VIETNAMESE),
    "phone": SortColumn("phone", "text", False),
    "status": SortColumn("status", "text", False),
    "lifecycle": SortColumn("lifecycle", "text", False),
    "party_type": SortColumn("party_type", "text", False),
    "email": SortColumn("email", "text", True),
    "gender": SortColumn("gender", "text", True),
    "birthday": SortColumn("birthday", "date", True),
    "province": SortColumn("province_name", "text", True, VIETNAMESE),
    "source": SortColumn("source", "text", True, VIETNAMESE),
    "customer_type": SortColumn("customer_type", "text", True, VIETNAMESE),
    "company_name": SortColumn("company_name", "text", True, VIETNAMESE),
    "tax_code": SortColumn("tax_code", "text", True),
    "industry": SortColumn("industry", "text", True, VIETNAMESE),
    "organization_size": SortColumn("organization_size", "text", True),
    "founding_date": SortColumn("founding_date", "date", True),
}
DEFAULT_SORT = "-created_at"


@dataclass(frozen=True)
class Sort:
    """One column (NULLs last in both directions) with the id as tie-breaker."""
    text: str
    key: SortColumn
    descending: bool

    def order_by(self, alias: str = "c") -> str:
        direction = "DESC" if self.descending else "ASC"
        nulls = " NULLS LAST" if self.key.nullable else ""
        return f"{self.key.expression(alias)} {direction}{nulls}, {alias}.id {direction}"


def parse_sort(text: str | None) -> Sort:
    text = (text or DEFAULT_SORT).strip()
    name = text.lstrip("-+")
    key = SORTABLE.get(name)
    if key is None or text.count("-") > 1:
        raise ProblemError(422, "validation_error", errors=[
            FieldError("sort", "invalid_choice", {"choices": ", ".join(sorted(SORTABLE))})])
    return Sort(f"-{name}" if text.startswith("-") else name, key, text.startswith("-"))


class SortPosition(BaseModel):
    """What a list's cursor holds: the sort it was made for (`s`), the last row's value in it (`v`)
    and id, and `fz` when the list fell back to similar words."""
    s: str
    v: Annotated[int, Field(ge=-2**31, lt=2**31)] | str | None = None
    id: uuid.UUID
    fz: int | None = None


def position_of(cursor: str | None) -> SortPosition | None:
    return decode_cursor(cursor, SortPosition)


def cursor_of(sort: Sort, row: dict[str, Any], **extra: Any) -> str:
    column = sort.key.column
    value = row.get(column) if column != "province_name" else (row.get("province") or {}).get("name")
    if isinstance(value, (datetime, date)):
        value = value.isoformat()
    return encode_cursor({"s": sort.text, "v": value, "id": str(row["id"]), **extra})


def _cursor_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "timestamp":
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "int":
        return int(value)
    if not isinstance(value, str):
        raise ValueError(value)
    return value


def after_cursor_sql(sort: Sort, cursor: str | None, params: Params, alias: str = "c") -> str | None:
    """The keyset condition "after the cursor's row" in `sort`; 400 `invalid_cursor` for a cursor
    that is malformed or was made for another sort."""
    position = position_of(cursor)
    if position is None:
        return None
    if position.s != sort.text:
        raise ProblemError(400, "invalid_cursor")
    try:
        value = _cursor_value(sort.key.kind, position.v)
    except (TypeError, ValueError):
        raise ProblemError(400, "invalid_cursor") from None
    last_id = position.id
    op = "<" if sort.descending else ">"
    column, key = sort.key.expression(alias), f"{alias}.id"
    if value is None:
        if not sort.key.nullable:
            raise ProblemError(400, "invalid_cursor")
        return f"({column} IS NULL AND {key} {op} {params.add(last_id)})"
    after = f"({column}, {key}) {op} ({params.add(value)}, {params.add(last_id)})"
    return f"({after} OR {column} IS NULL)" if sort.key.nullable else after


# Counting


async def count(conn: asyncpg.Connection, where: str, params: Params,
                limit: int = EXACT_COUNT_LIMIT) -> tuple[int, bool]:
    """(count, exact): exact up to `limit` rows (a bounded scan), else the planner's estimate."""
    exact = await conn.fetchval(
        f"SELECT count(*) FROM (SELECT 1 FROM customers c WHERE {where} LIMIT {limit + 1}) t", *params)
    if exact <= limit:
        return exact, True
    plan = await conn.fetchval(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM customers c WHERE {where}", *params)
    plan = json.loads(plan) if isinstance(plan, str) else plan
    estimate = int(plan[0]["Plan"]["Plan Rows"])
    return max(estimate, limit + 1), False


# Pages


async def page(conn: asyncpg.Connection, *, where: str, params: Params, sort: Sort, cursor: str | None,
               limit: int, cursor_extra: dict[str, Any] | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """One keyset page (`limit` rows and the next cursor, None on the last page)."""
    params = Params(params)
    after = after_cursor_sql(sort, cursor, params)
    condition = f"{where} AND {after}" if after else where
    rows = await conn.fetch(
        f"SELECT {SELECT_COLUMNS} FROM customers c WHERE {condition}"
        f" ORDER BY {sort.order_by()} LIMIT {int(limit) + 1}", *params)
    items = [as_customer(row) for row in rows[:limit]]
    next_cursor = cursor_of(sort, items[-1], **(cursor_extra or {})) if len(rows) > limit and items else None
    return items, next_cursor
