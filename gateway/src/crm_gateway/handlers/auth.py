"""Login, refresh-token rotation (with reuse detection) and logout."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import NoReturn

import asyncpg

from crmkit.domain_errors import Locked, Unauthenticated
from crmkit.logging import get_logger

from crm_gateway.domain import lockout
from crm_gateway.domain.client_address import bucket_key
from crm_gateway.domain.tokens import TokenSubject, new_refresh_token, token_hash
from crm_gateway.handlers.common import Identity
from crm_gateway.store import logins as login_store
from crm_gateway.store import refresh_tokens as token_store
from crm_gateway.store import users as user_store

log = get_logger(__name__)


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    token_type: str = "bearer"
    device_token: str | None = None  # a login's: this client signed the user in (kept in a cookie)


@dataclass(frozen=True)
class Client:
    """Where a login comes from (kept with the refresh token and in the login audit)."""

    ip: str | None = None
    user_agent: str | None = None
    device_id: str | None = None  # a valid device token of the username being signed in

    @property
    def key(self) -> str:
        """What failures are counted under: the device that signed this user in before, else the
        address (an IPv6 client's /64)."""
        if self.device_id:
            return f"device:{self.device_id}"
        return bucket_key(self.ip) if self.ip else "unknown"


def subject_of(user: asyncpg.Record) -> TokenSubject:
    return TokenSubject(user_id=user["id"], username=user["username"], roles=list(user["roles"]),
                        unit_id=user["unit_id"], unit_path=user["unit_path"], kind=user["kind"])


async def login(*, identity: Identity, username: str, password: str, client: Client = Client()) -> TokenPair:
    """Every failure answers alike, whether the username exists, is a service account or is
    deactivated (401), and every pair of (username, client) backs off alike (423). A username
    under attack from many addresses (credential stuffing: each address tries a few times, below
    its own back-off) signs in only from a device that signed it in before (423 elsewhere), so
    the attack gets no further guesses and the user is not locked out."""
    waiting = (await login_store.seconds_blocked(identity.pool, username, client.key)
               or await _guarded(identity, username, client))
    if waiting:
        await _audit(identity.pool, username, None, client, "blocked")
        raise _blocked(waiting)
    user = await user_store.get_by_username(identity.pool, username)
    password_hash = user["password_hash"] if user is not None and user["kind"] == "user" else None
    matches = await identity.passwords.verify(password_hash, password)  # a dummy hash when None
    failure = lockout.failure_outcome(user_exists=user is not None, has_password=password_hash is not None,
                                      password_matches=matches, active=user is not None and user["active"])
    if failure:
        await _record_failure(identity, username, user, client, failure)
    assert user is not None and password_hash is not None  # failure_outcome fails a login without them
    rehash = await identity.passwords.hash(password) if identity.passwords.needs_rehash(password_hash) else None
    async with identity.pool.acquire() as conn, conn.transaction():
        if rehash:
            await user_store.set_password_hash(conn, user["id"], rehash)
        await login_store.forget_pair(conn, username, client.key)
        await _audit(conn, username, user["id"], client, "success")
        pair = await _issue(conn, identity, user, family_id=uuid.uuid4(), client=client)
    return replace(pair, device_token=identity.signer.sign_device(
        username, ttl_seconds=identity.settings.login_device_ttl_seconds))


async def _guarded(identity: Identity, username: str, client: Client) -> int:
    """Seconds a client unknown to `username` waits while the username is under attack (0: none)."""
    if client.device_id is not None:
        return 0
    settings = identity.settings
    failures = await login_store.recent_failures(identity.pool, username, within_seconds=settings.login_guard_window_seconds,
                                                 at_most=settings.login_guard_after_failures)
    return settings.login_guard_window_seconds if failures >= settings.login_guard_after_failures else 0


async def refresh(*, identity: Identity, refresh_token: str, client: Client = Client()) -> TokenPair:
    """Exchange a refresh token for a new pair; presenting an already-rotated token revokes its family."""
    async with identity.pool.acquire() as conn:
        async with conn.transaction():
            outcome = await _rotate(conn, identity, refresh_token, client)
    if isinstance(outcome, Unauthenticated):  # raised after the commit: the revocation must stick
        raise outcome
    return outcome


async def logout(*, identity: Identity, refresh_token: str) -> None:
    """Revoke the refresh token's whole family (the session); unknown tokens are ignored."""
    async with identity.pool.acquire() as conn, conn.transaction():
        row = await token_store.get_for_update(conn, token_hash(refresh_token))
        if row is not None:
            await token_store.revoke_family(conn, row["family_id"])


async def _rotate(conn: asyncpg.Connection, identity: Identity, refresh_token: str,
                  client: Client) -> TokenPair | Unauthenticated:
    row = await token_store.get_for_update(conn, token_hash(refresh_token))
    if row is None or row["revoked_at"] is not None or row["expires_at"] <= datetime.now(UTC):
        return Unauthenticated("invalid_refresh_token")
    if row["rotated_at"] is not None:
        await token_store.revoke_family(conn, row["family_id"])
        return Unauthenticated("refresh_token_reused")
    user = await user_store.get(conn, row["user_id"])
    if user is None or not user["active"]:
        await token_store.revoke_family(conn, row["family_id"])
        return Unauthenticated("account_inactive")
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


async def _record_failure(identity: Identity, username: str, user: asyncpg.Record | None, client: Client,
                          outcome: str) -> NoReturn:
    """Count the failure of the pair; the failure that starts a wait answers 423 at once."""
    settings = identity.settings
    policy = lockout.BackoffPolicy(settings.login_backoff_after_failures, settings.login_backoff_base_seconds,
                                   settings.login_backoff_max_seconds)
    async with identity.pool.acquire() as conn, conn.transaction():
        failures = await login_store.count_failure(conn, username, client.key,
                                                   forget_seconds=settings.login_failures_forget_seconds)
        wait = policy.wait_after(failures)
        if wait:
            await login_store.block(conn, username, client.key, wait)
        await _audit(conn, username, user["id"] if user is not None else None, client, outcome)
    raise _blocked(wait) if wait else Unauthenticated("invalid_credentials")


async def _audit(conn: asyncpg.Connection | asyncpg.Pool, username: str, user_id: uuid.UUID | None,
                 client: Client, outcome: str) -> None:
    """A row of the login audit and a structured log line, with the username and client address."""
    await login_store.audit(conn, username=username, user_id=user_id, client=client.ip or "unknown",
                            user_agent=client.user_agent, outcome=outcome)
    log.info("login_succeeded" if outcome == "success" else "login_failed", username=username,
             user_id=str(user_id) if user_id else None, client=client.ip, outcome=outcome)


def _blocked(seconds: int) -> Locked:
    return Locked("account_locked", params={"retry_after": seconds}, details={"retry_after": seconds})
