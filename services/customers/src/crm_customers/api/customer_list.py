"""GET /api/v1/customers: scopes, search, filters, sort and keyset pages (C-6, C-7, C-9)."""
from __future__ import annotations

import uuid
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool
from crmkit.pagination import DEFAULT_LIMIT, Cursor, Limit

from crm_customers.api.customers import CustomerPublic
from crm_customers.domain.selection import DEFAULT_SORT, SORTABLE, CustomerFilter, filter_from_query
from crm_customers.handlers import listing

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])


class CustomerPage(BaseModel):
    items: list[CustomerPublic]
    next_cursor: str | None = None
    count: int | None = Field(None, description="with `with_count=true`: matching customers")
    count_exact: bool | None = Field(None, description="false when `count` is the planner's estimate (above 10,000)")
    fuzzy: bool | None = Field(None, description="true when nothing matched `q` exactly and these are similar matches")


def _filter_parameters() -> list[dict[str, Any]]:
    """The filter fields as documented query parameters (parsed from the query string by hand,
    since `attr.<key>` parameters are dynamic)."""
    schema = CustomerFilter.model_json_schema()
    parameters = []
    for name, prop in schema["properties"].items():
        if name == "attributes":
            continue
        parameters.append({"name": name, "in": "query", "required": False,
                           "description": prop.get("description", "") + (" (comma-separated or repeated)"
                                                                          if "array" in str(prop) else ""),
                           "schema": {k: v for k, v in prop.items() if k != "description"}})
    parameters.append({"name": "attr.{key}", "in": "query", "required": False, "schema": {"type": "string"},
                       "description": "value of a filterable attribute (repeat for any of several values)"})
    return parameters


SORTS = [f"{direction}{name}" for name in sorted(SORTABLE) for direction in ("", "-")]
Sort = Annotated[str | None, Query(max_length=40, json_schema_extra={"enum": SORTS}, description=(
    f"a column, `-` for descending (default `{DEFAULT_SORT}`): {', '.join(sorted(SORTABLE))}"))]


@router.get("", response_model=CustomerPage, openapi_extra={"parameters": _filter_parameters()},
            responses={400: {"description": "invalid_cursor"}, 403: {"description": "forbidden"},
                       422: {"description": "validation_error (unknown filter or sort field)"}})
async def list_customers(request: Request, pool: DbPool, principal: CurrentPrincipal, sort: Sort = None,
                         limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                         with_count: Annotated[bool, Query(description="also return count")] = False) -> Response:
    """Customers in a scope, searched and filtered, within what the caller may see."""
    flt = filter_from_query(request.query_params.multi_items())
    result = await listing.list_customers(pool, principal=principal, flt=flt, sort=sort,
                                          limit=limit, cursor=cursor, with_count=with_count)
    return Response(page_json(result), media_type="application/json")


OPTIONAL = ("count", "count_exact", "fuzzy")


def page_json(result: dict[str, Any]) -> bytes:
    """`CustomerPage` as JSON, written by orjson from the rows as read: they come typed from the
    database (`store.customers.as_customer`), and validating them into the model only to dump them
    again was ~20% of the service's CPU for a page of 20, the search screen's every request
    (docs/benchmarks.md, "The requests' fixed cost"). The same JSON as the model's dump
    (tests/test_listing_api.py); the optional keys are left out when absent, as there."""
    return orjson.dumps({key: value for key, value in result.items() if key not in OPTIONAL or value is not None},
                        default=_uuid_text, option=orjson.OPT_UTC_Z)


def _uuid_text(value: Any) -> str:
    """asyncpg's own UUID type (orjson writes only `uuid.UUID` itself)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(type(value).__name__)
