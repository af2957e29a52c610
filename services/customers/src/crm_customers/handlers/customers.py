"""Customer use cases. Each opens one transaction: rules, store writes, outbox rows."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg

from crmkit import outbox
from crmkit.auth import Principal
from crmkit.errors import FieldError, ProblemError, field_errors
from crm_customers import events
from crm_customers.domain.phones import InvalidPhone, normalize_phone
from crm_customers.store import customers as store

SOURCE = "customers"


def _phone_or_422(raw: str) -> str:
    try:
        return normalize_phone(raw)
    except InvalidPhone:
        raise field_errors(FieldError("phone", "invalid_phone")) from None


async def _phone_exists(conn: asyncpg.Connection, *, phone: str, principal: Principal) -> ProblemError:
    existing_id = await store.id_by_phone(conn, phone)
    visible = existing_id and await store.get_visible(
        conn, customer_id=existing_id, user_id=principal.user_id, is_admin=principal.is_admin,
        is_manager=principal.is_manager, unit_path=principal.unit_path,
    )
    extra = {"existing_id": str(existing_id)} if visible else {}
    return ProblemError(409, "phone_exists", params={"phone": phone}, extra=extra)


async def create_customer(
    pool: asyncpg.Pool, *, principal: Principal, name: str, phone: str, correlation_id: str | None = None
) -> asyncpg.Record:
    normalized = _phone_or_422(phone)
    now = datetime.now(UTC)
    values = {
        "id": uuid.uuid4(), "name": name.strip(), "phone": normalized, "owner_id": principal.user_id,
        "owner_unit_id": principal.unit_id, "owner_unit_path": principal.unit_path or None,
        "created_by": principal.user_id, "created_at": now, "updated_at": now,
    }
    async with pool.acquire() as conn:
        try:
            async with conn.transaction():
                row = await store.insert(conn, values=values)
                await outbox.publish(conn, events.CustomerCreated(**dict(row)), source=SOURCE, subject=row["id"],
                                     actor=principal.user_id, correlation_id=correlation_id)
                return row
        except asyncpg.UniqueViolationError:
            raise await _phone_exists(conn, phone=normalized, principal=principal) from None


async def get_customer(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID) -> asyncpg.Record:
    async with pool.acquire() as conn:
        row = await store.get_visible(
            conn, customer_id=customer_id, user_id=principal.user_id, is_admin=principal.is_admin,
            is_manager=principal.is_manager, unit_path=principal.unit_path,
        )
    if row is None:
        raise ProblemError(404, "not_found")
    return row
