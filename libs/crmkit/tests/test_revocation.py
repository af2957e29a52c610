"""Tokens issued before their user changed are refused at once (crmkit.revocation), against a
real directory table: a deactivation arriving as an identity event revokes the older token, a
token issued after the change passes, other users are untouched."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from crmkit import errors, revocation
from crmkit.auth import CurrentPrincipal, Principal, TokenVerifier
from crmkit.db import migrate
from crmkit.testing import sign_test_token, temp_database


def principal(user_id: uuid.UUID, issued_at: float) -> Principal:
    return Principal(user_id=user_id, username="u", unit_id=None, unit_path="/", roles=frozenset({"sales"}),
                     issued_at=issued_at)


async def test_tokens_before_a_change_are_refused(jwt_keys):
    private, public_path = jwt_keys
    async with temp_database(prefix="revoke") as dsn:
        pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2)
        try:
            async with pool.acquire() as conn:
                await migrate(conn, None)
            changed, untouched, old = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            now = datetime.now(UTC)
            await pool.executemany(
                "INSERT INTO directory_users (id, username, active, changed_at) VALUES ($1, $2, $3, $4)",
                [(changed, "a", False, now), (untouched, "b", True, now - timedelta(hours=2)),
                 (old, "c", False, now - timedelta(hours=3))])
            revocations = revocation.from_directory(pool, window_seconds=3600)
            await revocations.refresh()
            assert not revocations.allows(principal(changed, now.timestamp() - 1))
            assert revocations.allows(principal(changed, now.timestamp() + 0.001))
            assert revocations.allows(principal(untouched, now.timestamp() - 1))  # changed before the window

            app = FastAPI()
            errors.install_handlers(app)
            app.state.token_verifier = TokenVerifier.from_file(public_path)
            app.state.token_revocations = revocations

            @app.get("/who")
            async def who(p: CurrentPrincipal) -> dict:
                return {"id": str(p.user_id)}

            before = sign_test_token(private, user_id=changed)  # issued "now", before the refresh below
            await pool.execute("UPDATE directory_users SET changed_at = $2 WHERE id = $1", changed,
                               datetime.now(UTC) + timedelta(seconds=1))
            await revocations.refresh()
            async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
                refused = await client.get("/who", headers={"Authorization": f"Bearer {before}",
                                                            "Accept-Language": "en"})
                assert refused.status_code == 401 and refused.json()["code"] == "token_revoked"
                assert refused.json()["detail"].startswith("Your account changed")
                other = sign_test_token(private, user_id=untouched)
                fine = await client.get("/who", headers={"Authorization": f"Bearer {other}"})
                assert fine.status_code == 200
        finally:
            await pool.close()

