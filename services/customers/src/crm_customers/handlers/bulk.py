"""Bulk actions on a selection of customers (C-10) with batch events (E-3).

A selection is either explicit ids (at most 10,000 in a body) or a `CustomerFilter` ("all
matching this filter", no upper bound). Either way it is only ever what the caller may see (the
WHERE of `store.selection.customer_where`); of that, only the rows the caller may edit are changed.
Ids the caller cannot see count as `not_found`, whether they exist or not.

The selection is resolved once when the action starts (`store.bulk.selection_sql`: a WITH HOLD
cursor of ids) and walked in chunks of `store.bulk.CHUNK` ids; each chunk checks visibility and
the filter again on the rows it locks, and is one set-based statement and one transaction
together with its one batch event
(`customers.bulk_updated` / `customers.bulk_deleted`, see `events`). A failure part-way leaves
the chunks already done committed (and published); the actions are idempotent in effect (adding
a label twice changes nothing), so the client simply retries (with the same Idempotency-Key once
the failed attempt has released it).

Answer: `{batch_id, action, matched, updated, unchanged, skipped_not_editable, not_found}` —
`matched`: visible rows selected; `updated`: rows changed (version + 1); `unchanged`: editable
rows already in the wanted state; `skipped_not_editable`: visible but not editable (viewers,
reps on a colleague's customer); `not_found`: ids (ids selection only) absent or invisible.
"""
from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import FieldError, Invalid
from crmkit.unit_of_work import UnitOfWork

from crm_customers import events
from crm_customers.domain.errors import RuleViolation
from crm_customers.domain.fields import clean_text
from crm_customers.domain.record import check_record, displaced_by
from crm_customers.domain.selection import CustomerFilter
from crm_customers.handlers.customers import configuration
from crm_customers.handlers.problems import SOURCE
from crm_customers.store import bulk as store
from crm_customers.store.customers import Params, access_of
from crm_customers.store.selection import customer_where

ACTIONS = ("add_labels", "remove_labels", "add_to_group", "remove_from_group", "set_status", "delete")
MAX_IDS = 10_000


def _invalid(*errors: FieldError) -> Invalid:
    return Invalid(*errors)


async def _checked_values(conn: asyncpg.Connection, action: str, *, labels: list[str] | None,
                          group_id: uuid.UUID | None, status: str | None, note: str | None) -> dict[str, Any]:
    """The action's values, checked against the configuration (422 with field errors)."""
    config = await configuration(conn)
    if action in ("add_labels", "remove_labels"):
        if not labels:
            raise _invalid(FieldError("labels", "required"))
        record, problems = check_record({"labels": labels}, partial=True, config=config)
        if problems:
            raise _invalid(*(FieldError(path, code, params) for path, code, params in problems))
        if action == "remove_labels":
            return {"labels": record["labels"]}
        return {"labels": record["labels"], "displaced_labels": displaced_by(record["labels"], config.label_categories)}
    if action in ("add_to_group", "remove_from_group"):
        if group_id is None:
            raise _invalid(FieldError("group_id", "required"))
        if group_id not in config.group_ids:
            raise _invalid(FieldError("group_id", "unknown_group"))
        return {"group_id": group_id}
    if action == "set_status":
        record, problems = check_record({"status": status}, partial=True, config=config)
        errors = [FieldError(path, code, params) for path, code, params in problems]
        cleaned_note = None
        try:
            cleaned_note = clean_text("note", note) if note is not None else None
        except RuleViolation as error:
            errors.append(FieldError("note", error.code, error.params))
        if errors:
            raise _invalid(*errors)
        return {"status": record["status"], "note": cleaned_note}
    return {}


def _removed(values: dict[str, Any], chunk: store.ChunkResult) -> list[list[str]] | None:
    displaced = values.get("displaced_labels")
    if not displaced:
        return None
    return [[label for label in labels if label in displaced] for labels in chunk.from_labels]


def _batch_event(action: str, values: dict[str, Any], chunk: store.ChunkResult, *, batch_id: uuid.UUID,
                 number: int, last: bool) -> events.CustomersBulkDeleted | events.CustomersBulkUpdated:
    common = {"batch_id": batch_id, "chunk": number, "last": last, "ids": chunk.ids, "versions": chunk.versions}
    if action == "delete":
        return events.CustomersBulkDeleted(**common, deleted_at=values["deleted_at"], deleted_by=values["deleted_by"])
    return events.CustomersBulkUpdated(
        **common, action=action, labels=values.get("labels"), removed_labels=_removed(values, chunk),
        group_id=values.get("group_id"),
        status=values.get("status"), note=values.get("note"),
        from_statuses=chunk.from_statuses if action == "set_status" else None)


async def bulk_action(pool: asyncpg.Pool, *, principal: Principal, action: str, ids: list[uuid.UUID] | None = None,
                      flt: CustomerFilter | None = None, labels: list[str] | None = None,
                      group_id: uuid.UUID | None = None, status: str | None = None, note: str | None = None,
                      confirm: bool = False, chunk_size: int = store.CHUNK) -> dict[str, Any]:
    if action not in ACTIONS:
        raise _invalid(FieldError("action", "invalid_choice", {"choices": ", ".join(ACTIONS)}))
    if (ids is None) == (flt is None):
        raise _invalid(FieldError("ids", "exactly_one_of", {"fields": "ids, filter"}))
    if ids is not None and len(ids) > MAX_IDS:
        raise _invalid(FieldError("ids", "too_many_items", {"max_items": MAX_IDS}))
    if action == "delete" and confirm is not True:
        raise Invalid(FieldError("confirm", "confirmation_required"), code="confirmation_required")
    unique_ids = sorted(set(ids)) if ids is not None else None
    batch_id = uuid.uuid4()
    totals = {"matched": 0, "updated": 0, "skipped_not_editable": 0}
    async with pool.acquire() as conn:
        values = await _checked_values(conn, action, labels=labels, group_id=group_id, status=status, note=note)
        if action == "delete":
            values = {"deleted_at": datetime.now(UTC), "deleted_by": principal.user_id}
        where, params = await customer_where(conn, flt or CustomerFilter(), principal)
        if unique_ids is not None:
            where = f"{where} AND c.id = ANY({params.add(unique_ids)}::uuid[])"
        access = access_of(principal)
        published = 0
        last_open = False  # an event with last=False was published and no later one closed the batch
        await store.open_selection(conn, where=where, params=params)  # the selection, resolved once
        try:
            while True:
                # the chunks share the connection that holds the selection's cursor: each one a transaction
                async with conn.transaction(), UnitOfWork.joining(conn, source=SOURCE) as uow:
                    chunk_ids = await store.next_ids(conn, chunk_size)
                    chunk = await store.apply_chunk(conn, where=where, params=Params(params), access=access,
                                                    action=action, values=values, ids=chunk_ids)
                    final = len(chunk_ids) < chunk_size
                    if chunk.ids or (final and last_open):
                        published += 1
                        await uow.publish(_batch_event(action, values, chunk, batch_id=batch_id, number=published,
                                                       last=final), subject=batch_id)
                        last_open = not final
                totals["matched"] += chunk.matched
                totals["updated"] += len(chunk.ids)
                totals["skipped_not_editable"] += chunk.skipped_not_editable
                if final:
                    break
        finally:
            if not conn.is_closed():
                with contextlib.suppress(asyncpg.PostgresError):  # gone with a failed FETCH
                    await store.close_selection(conn)
    return {
        "batch_id": batch_id, "action": action, **totals,
        "unchanged": totals["matched"] - totals["updated"] - totals["skipped_not_editable"],
        "not_found": len(unique_ids) - totals["matched"] if unique_ids is not None else None,
        "events": published,
    }
