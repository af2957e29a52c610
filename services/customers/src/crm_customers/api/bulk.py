"""POST /api/v1/customers/bulk (C-10): labels, groups, status or delete on ids or a filter."""
from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from crmkit.auth import CurrentPrincipal
from crmkit.idempotency import Idempotent

from crm_customers.domain.selection import CustomerFilter
from crm_customers.handlers import bulk as handlers

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])


def _when_action(actions: list[str], then: dict[str, Any]) -> dict[str, Any]:
    return {"if": {"required": ["action"], "properties": {"action": {"enum": actions}}}, "then": then}


# What the handler requires beyond the fields' types, documented (exactly one selection; each
# action's own fields)
SELECTION_AND_ACTION_FIELDS: dict[str, Any] = {"allOf": [
    {"oneOf": [{"required": ["ids"], "properties": {"ids": {"type": "array"}, "filter": {"type": "null"}}},
               {"required": ["filter"], "properties": {"filter": {"type": "object"}, "ids": {"type": "null"}}}]},
    _when_action(["add_labels", "remove_labels"],
                 {"required": ["labels"], "properties": {"labels": {"type": "array", "minItems": 1}}}),
    _when_action(["add_to_group", "remove_from_group"],
                 {"required": ["group_id"], "properties": {"group_id": {"type": "string"}}}),
    _when_action(["set_status"], {"required": ["status"], "properties": {"status": {"type": "string"}}}),
    _when_action(["delete"], {"required": ["confirm"], "properties": {"confirm": {"const": True}}}),
]}


class BulkRequest(BaseModel):
    """`ids` or `filter` (exactly one), then the action's own fields."""
    model_config = ConfigDict(extra="forbid", json_schema_extra=SELECTION_AND_ACTION_FIELDS)

    action: Literal["add_labels", "remove_labels", "add_to_group", "remove_from_group", "set_status", "delete"]
    ids: list[uuid.UUID] | None = Field(None, max_length=handlers.MAX_IDS,
                                        description="at most 10,000 customer ids")
    filter: CustomerFilter | None = Field(
        None, description="every customer matching this filter (within what the caller may see), no upper bound")
    labels: list[str] | None = Field(None, max_length=100, description="add_labels / remove_labels: label keys")
    group_id: uuid.UUID | None = Field(None, description="add_to_group / remove_from_group")
    status: str | None = Field(None, description="set_status: key of a configured status")
    note: str | None = Field(None, description="set_status: kept in each customer's history")
    confirm: bool = Field(False, description="delete: must be true")


class BulkResult(BaseModel):
    batch_id: uuid.UUID = Field(description="also the `batch_id` of the batch events")
    action: str
    matched: int = Field(description="selected customers the caller may see")
    updated: int = Field(description="changed (version + 1)")
    unchanged: int = Field(description="editable, already in the wanted state")
    skipped_not_editable: int = Field(description="visible but not editable by the caller")
    not_found: int | None = Field(None, description="ids selection: ids absent or not visible")
    events: int = Field(description="batch events published (one per chunk of at most 5,000 changed customers)")


@router.post("/bulk", response_model=BulkResult, responses={
    422: {"description": "validation_error, confirmation_required"},
    409: {"description": "idempotency_in_flight"}})
async def bulk_action(body: BulkRequest, principal: CurrentPrincipal,
                      once: Idempotent) -> Response:
    """Bulk action (C-10). Only customers the caller may edit change; `Idempotency-Key` honoured.
    Publishes `customers.bulk_updated` / `customers.bulk_deleted`, one event per chunk."""
    result = await handlers.bulk_action(
        once.pool, principal=principal, action=body.action, ids=body.ids, flt=body.filter, labels=body.labels,
        group_id=body.group_id, status=body.status, note=body.note, confirm=body.confirm)
    return once.answer(JSONResponse(BulkResult.model_validate(result).model_dump(mode="json")))
