"""Customer selections (C-6, C-7, C-10, C-13): which customers a list, a bulk action or an export
is about, and how a list is sorted. Pure, no I/O; `store.selection.customer_where` turns a
selection into SQL, `store.paging` pages through it.

`CustomerFilter` is the same model in query strings (`?status=new,contacted&attr.color=red`,
see `filter_from_query`) and in JSON bodies (`{"filter": {"status": ["new"], "attributes":
{"color": ["red"]}}}`). Lists mean "any of"; dates in filters are local days (Asia/Ho_Chi_Minh)
or exact instants (`range_start`, `range_end`).

Sorts: one column of `SORTABLE` (NULLs last in both directions) with the id as tie-breaker.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from crmkit.domain_errors import FieldError, Invalid
from crmkit.errors import field_errors_from_pydantic

from crm_customers.domain.dates import calendar_date

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")  # dates in filters are local days
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
        None, description="typo-tolerant `q`: true also matches words with typos (one in a word of 3-5 letters, "
                          "two beyond; a swap of neighbours is one); false only word starts as typed; unset: lists "
                          "fall back to typos when nothing matches exactly (bulk actions and exports: exact unless true)")
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
        raise Invalid(*unknown)
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
        raise Invalid(*field_errors_from_pydantic(error.errors())) from None

# Date ranges


def range_start(value: datetime | date) -> datetime:
    """The start of a range (inclusive): an instant, or the local midnight a day starts with."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=LOCAL_TIME)
    return datetime.combine(value, time(), LOCAL_TIME)


def range_end(value: datetime | date) -> tuple[datetime, bool]:
    """(the end of a range, whether it is inclusive): an instant is inclusive, a day includes all
    of it (exclusive next midnight)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=LOCAL_TIME)), True
    return datetime.combine(value + timedelta(days=1), time(), LOCAL_TIME), False

# Sorting


VIETNAMESE = '"vi-x-icu"'  # a Đ b: the database's C collation would put Đ after z


@dataclass(frozen=True)
class SortColumn:
    column: str
    kind: Literal["timestamp", "date", "text", "int"]
    nullable: bool
    collate: str | None = None


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


def parse_sort(text: str | None) -> Sort:
    text = (text or DEFAULT_SORT).strip()
    name = text.lstrip("-+")
    key = SORTABLE.get(name)
    if key is None or text.count("-") > 1:
        raise Invalid(FieldError("sort", "invalid_choice", {"choices": ", ".join(sorted(SORTABLE))}))
    return Sort(f"-{name}" if text.startswith("-") else name, key, text.startswith("-"))

