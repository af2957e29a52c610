"""Login, refresh-token rotation (with reuse detection) and logout."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg

from crmkit.errors import ProblemError
from crm_gateway.domain import lockout
from crm_gateway.domain.tokens import TokenSubject, new_refresh_token, token_hash
from crm_gateway.handlers.common import Identity
from crm_gateway.store import refresh_tokens as token_store
from crm_gateway.store import users as user_store


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    token_type: str = "bearer"


@dataclass(frozen=True)
class Client:
    """Where a login comes from (kept with the refresh token for audits)."""

    ip: str | None = None
    user_agent: str | None = None


def subject_of(user: asyncpg.Record) -> TokenSubject:
    return TokenSubject(user_id=user["id"], username=user["username"], roles=list(user["roles"]),
                        unit_id=user["unit_id"], unit_path=user["unit_path"], kind=user["kind"])


async def login(*, identity: Identity, username: str, password: str, client: Client = Client()) -> TokenPair:
    user = await user_store.get_by_username(identity.pool, username)
    now = datetime.now(UTC)
    if user is not None and lockout.is_locked(user["locked_until"], now):
        raise _locked(user["locked_until"], now)
    password_hash = user["password_hash"] if user is not None and user["kind"] == "user" else None
    if not await identity.passwords.verify(password_hash, password):
        if password_hash is not None:
            await _record_failure(identity, user["id"])
        raise ProblemError(401, "invalid_credentials")
    if not user["active"]:
        raise ProblemError(403, "account_inactive")
    rehash = await identity.passwords.hash(password) if identity.passwords.needs_rehash(password_hash) else None
    async with identity.pool.acquire() as conn, conn.transaction():
        await user_store.record_success(conn, user["id"], password_hash=rehash)
        return await _issue(conn, identity, user, family_id=uuid.uuid4(), client=client)


async def refresh(*, identity: Identity, refresh_token: str, client: Client = Client()) -> TokenPair:
    """Exchange a refresh token for a new pair; presenting an already-rotated token revokes its family."""
    async with identity.pool.acquire() as conn:
        async with conn.transaction():
            outcome = await _rotate(conn, identity, refresh_token, client)
    if isinstance(outcome, ProblemError):  # raised after the commit: the revocation must stick
        raise outcome
    return outcome


async def logout(*, identity: Identity, refresh_token: str) -> None:
    """Revoke the refresh token's whole family (the session); unknown tokens are ignored."""
    async with identity.pool.acquire() as conn, conn.transaction():
        row = await token_store.get_for_update(conn, token_hash(refresh_token))
        if row is not None:
            await token_store.revoke_family(conn, row["family_id"])


async def _rotate(conn: asyncpg.Connection, identity: Identity, refresh_token: str,
                  client: Client) -> TokenPair | ProblemError:
    row = await token_store.get_for_update(conn, token_hash(refresh_token))
    if row is None or row["revoked_at"] is not None or row["expires_at"] <= datetime.now(UTC):
        return ProblemError(401, "invalid_refresh_token")
    if row["rotated_at"] is not None:
        await token_store.revoke_family(conn, row["family_id"])
        return ProblemError(401, "refresh_token_reused")
    user = await user_store.get(conn, row["user_id"])
    if user is None or not user["active"]:
        await token_store.revoke_family(conn, row["family_id"])
        return ProblemError(401, "account_inactive")
    await token_store.mark_rotated(conn, row["id"])
    return await _issue(conn, identity, user, family_id=row["family_id"], client=client)


async def _issue(conn: asyncpg.Connection, identity: Identity, user: asyncpg.Record, *, family_id: uuid.UUID,
                 client: Client) -> TokenPair:
    settings = identity.settings
    refresh_token = new_refresh_token()
    await token_store.insert(
        conn, family_id=family_id, user_id=user["id"], token_hash=token_hash(refresh_token),
        expires_at=datetime.now(UTC) + timedelta(seconds=settings.refresh_token_ttl_seconds),
        user_agent=client.user_agent, ip=client.ip)
    access = identity.signer.sign(subject_of(user), ttl_seconds=settings.access_token_ttl_seconds)
    return TokenPair(access_token=access, refresh_token=refresh_token,
                     expires_in=settings.access_token_ttl_seconds,
                     refresh_expires_in=settings.refresh_token_ttl_seconds)


async def _record_failure(identity: Identity, user_id: uuid.UUID) -> None:
    """Count the failure on the locked row; the failure that reaches the limit locks (423)."""
    policy = lockout.LockoutPolicy(identity.settings.lockout_max_failures, identity.settings.lockout_seconds)
    now = datetime.now(UTC)
    async with identity.pool.acquire() as conn, conn.transaction():
        user = await user_store.get(conn, user_id, for_update=True)
        if lockout.is_locked(user["locked_until"], now):
            raise _locked(user["locked_until"], now)
        failures, locked_until = policy.after_failure(user["failed_logins"], now)
        await user_store.record_failure(conn, user_id, failed_logins=failures, locked_until=locked_until)
    if locked_until is not None:
        raise _locked(locked_until, now)


def _locked(locked_until: datetime, now: datetime) -> ProblemError:
    seconds = lockout.seconds_left(locked_until, now)
    return ProblemError(423, "account_locked", params={"retry_after": seconds},
                        headers={"Retry-After": str(seconds)}, extra={"retry_after": seconds})
