"""What the interactions service's HTTP tests share: a signing key the app trusts, a running app
over a throwaway database, tokens, and a customer the caller may see."""
from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI

from crmkit.auth import TokenVerifier
from crmkit.testing import sign_test_token, temp_database
from crm_interactions.app import MIGRATIONS, create_app
from crm_interactions.settings import InteractionsSettings
from crm_interactions.store import timeline as timeline_store

KEY = Ed25519PrivateKey.generate()
PRIVATE = KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
PUBLIC = KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
PATH = "/r/b/t/"


@contextlib.asynccontextmanager
async def running_app(**settings: Any) -> AsyncIterator[FastAPI]:
    async with temp_database(MIGRATIONS) as dsn:
        application = create_app(InteractionsSettings(database_url=dsn, run_mode="api", **settings))
        application.state.token_verifier = TokenVerifier(PUBLIC)
        async with application.router.lifespan_context(application):
            yield application


def auth(user_id: uuid.UUID, *roles: str, unit_path: str = PATH, **claims: Any) -> dict:
    token = sign_test_token(PRIVATE, user_id=user_id, roles=roles or ("sales",), unit_id=uuid.uuid4(),
                            unit_path=unit_path, **claims)
    return {"Authorization": f"Bearer {token}"}


async def visible_customer(app: FastAPI, owner: uuid.UUID, viewers: list[uuid.UUID] = ()) -> str:
    customer_id = uuid.uuid4()
    async with app.state.pool.acquire() as conn:
        await timeline_store.upsert_access(conn, customer_id=customer_id, owner_id=owner, owner_unit_path=PATH,
                                           holder_id=None, viewer_ids=list(viewers), version=1)
    return str(customer_id)
