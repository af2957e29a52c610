"""What the interactions service's tests share: principals, a customer someone may see, directory
users, problem codes and published events; for the HTTP tests a signing key the app trusts, a
running app over a throwaway database and tokens."""
from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI

from crmkit.auth import Principal, TokenVerifier
from crmkit.domain_errors import DomainError
from crmkit.errors import status_of_domain_error
from crmkit.keys import new_pair
from crmkit.testing import sign_test_token, temp_database

from crm_interactions.app import MIGRATIONS, create_app
from crm_interactions.settings import InteractionsSettings
from crm_interactions.store import access as access_store

PRIVATE, PUBLIC = new_pair()
PATH = "/r/b/t/"


@contextlib.asynccontextmanager
async def running_app(**settings: Any) -> AsyncIterator[FastAPI]:
    async with temp_database(MIGRATIONS) as dsn:
        # no customers service here: read your own writes off, whatever the environment says
        application = create_app(InteractionsSettings(database_url=dsn, run_mode="api",
                                                      **{"customers_url": None, **settings}))
        application.state.token_verifier = TokenVerifier(PUBLIC)
        async with application.router.lifespan_context(application):
            yield application


def auth(user_id: uuid.UUID, *roles: str, unit_path: str = PATH, **claims: Any) -> dict:
    token = sign_test_token(PRIVATE, user_id=user_id, roles=roles or ("sales",), unit_id=uuid.uuid4(),
                            unit_path=unit_path, **claims)
    return {"Authorization": f"Bearer {token}"}


def principal(path: str, *roles: str, user_id: uuid.UUID | None = None) -> Principal:
    return Principal(user_id=user_id or uuid.uuid4(), username="u", unit_id=None, unit_path=path,
                     roles=frozenset(roles or ("sales",)))


async def customer_of(pool, owner: Principal, *, viewers: tuple[uuid.UUID, ...] = ()) -> uuid.UUID:
    """A customer `owner` owns in their unit, as the customers service's events would make it known."""
    customer_id = uuid.uuid4()
    async with pool.acquire() as conn:
        await access_store.upsert_access(conn, customer_id=customer_id, owner_id=owner.user_id,
                                           owner_unit_path=owner.unit_path, holder_id=None,
                                           viewer_ids=list(viewers), version=1)
    return customer_id


async def visible_customer(app: FastAPI, owner: uuid.UUID, viewers: list[uuid.UUID] = ()) -> str:
    return str(await customer_of(app.state.pool, principal(PATH, user_id=owner), viewers=tuple(viewers)))


async def user_in_directory(pool, path: str, *, active: bool = True) -> uuid.UUID:
    user_id = uuid.uuid4()
    await pool.execute("INSERT INTO directory_users (id, username, unit_path, active, changed_at)"
                       " VALUES ($1, $2, $3, $4, now())", user_id, f"u{user_id.hex[:6]}", path, active)
    return user_id


async def code_of(awaitable) -> tuple[int, str]:
    """(status, code) of the answer to the refusal `awaitable` raises (its kind's status)."""
    with pytest.raises(DomainError) as caught:
        await awaitable
    return status_of_domain_error(caught.value), caught.value.code


async def outbox(pool, event_type: str) -> list[dict]:
    """The data of the events of `event_type` written to the outbox, in order."""
    return [r["payload"]["data"] for r in await pool.fetch(
        "SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", event_type)]
